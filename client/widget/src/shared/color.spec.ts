import { contrast, DARKEST_SURFACE, DEFAULT_ACCENT, palette, parseHexColor, toHex, WHITE, BLACK, type Rgb } from './color.js';

describe('accent colours', () => {
  it('accepts #rgb and #rrggbb only', () => {
    expect(parseHexColor('#0d6b70')).toEqual([13, 107, 112]);
    expect(parseHexColor(' #FFF ')).toEqual([255, 255, 255]);
    for (const bad of ['red', '#12345', '#ggg', 'url(x)', '#fff;}:host{display:none', 'rgb(1,2,3)', '', null, undefined]) {
      expect(parseHexColor(bad)).toBeNull();
    }
    expect(toHex([13, 107, 112])).toBe('#0d6b70');
  });

  it('computes WCAG contrast ratios', () => {
    expect(contrast(WHITE, BLACK)).toBeCloseTo(21, 5);
    expect(contrast(WHITE, WHITE)).toBeCloseTo(1, 5);
    expect(contrast([118, 118, 118], WHITE)).toBeCloseTo(4.54, 1);
  });

  it('falls back to the default accent for anything that is not a colour', () => {
    expect(palette('javascript:alert(1)').accent).toBe(DEFAULT_ACCENT);
    expect(palette(null)).toEqual(palette(DEFAULT_ACCENT));
  });

  it('keeps text on the accent, and accent-coloured text, at AA contrast for any accent', () => {
    const samples: string[] = [
      '#ffd400',
      '#e8f4ff',
      '#000000',
      '#ffffff',
      '#808080',
      '#ff3366',
      '#0b3d2e',
      '#777777',
      '#00ff00',
      DEFAULT_ACCENT,
    ];
    for (let i = 0; i < 200; i++) samples.push(toHex([(i * 97) % 256, (i * 53) % 256, (i * 29) % 256] as Rgb));
    for (const accent of samples) {
      const p = palette(accent);
      const rgb = (hex: string) => parseHexColor(hex)!;
      expect({ accent, onAccent: contrast(rgb(p.onAccent), rgb(p.accent)) >= 4.5 }).toEqual({ accent, onAccent: true });
      expect({ accent, ink: contrast(rgb(p.ink), DARKEST_SURFACE) >= 4.5 }).toEqual({ accent, ink: true });
      expect({ accent, inkOnWhite: contrast(rgb(p.ink), WHITE) >= 4.5 }).toEqual({ accent, inkOnWhite: true });
    }
  });

  it('leaves an accent that is already dark enough as it is', () => {
    expect(palette('#0b3d2e')).toEqual({ accent: '#0b3d2e', onAccent: '#ffffff', ink: '#0b3d2e' });
    expect(palette('#ffd400').onAccent).toBe('#000000');
  });
});
