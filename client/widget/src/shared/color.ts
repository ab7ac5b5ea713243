/**
 * Colour arithmetic for the accent colour a clinic chooses with `data-accent`: whatever it is, text
 * drawn on it and links drawn in it keep a WCAG AA contrast ratio (4.5:1).
 */

export type Rgb = [number, number, number];

/** `#rgb` or `#rrggbb` (case-insensitive) as numbers; anything else (names, url(), CSS tricks) is null. */
export function parseHexColor(value: string | null | undefined): Rgb | null {
  const match = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec((value ?? '').trim());
  if (!match) return null;
  let hex = match[1];
  if (hex.length === 3) hex = hex.replace(/./g, (c) => c + c);
  return [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16)) as Rgb;
}

export function toHex(rgb: Rgb): string {
  return (
    '#' +
    rgb
      .map((c) =>
        Math.round(Math.min(255, Math.max(0, c)))
          .toString(16)
          .padStart(2, '0'),
      )
      .join('')
  );
}

/** WCAG 2 relative luminance. */
export function luminance(rgb: Rgb): number {
  const [r, g, b] = rgb.map((c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG 2 contrast ratio, 1 to 21. */
export function contrast(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

export const WHITE: Rgb = [255, 255, 255];
export const BLACK: Rgb = [0, 0, 0];
/** The darkest light surface the widget draws accent-coloured text on (bot bubbles, the crisis panel). */
export const DARKEST_SURFACE: Rgb = [0xe8, 0xee, 0xf5];
/** The calm teal used when the clinic sets no accent colour. */
export const DEFAULT_ACCENT = '#0d6b70';

export interface Palette {
  /** Backgrounds of the launcher, the send button and the visitor's bubbles. */
  accent: string;
  /** Text on `accent`: white or black, whichever contrasts more (always at least 4.58:1). */
  onAccent: string;
  /** The accent darkened until it reads as text on every light surface of the widget (at least 4.5:1). */
  ink: string;
}

const AA = 4.5;

export function palette(accent: string | null | undefined): Palette {
  const base = parseHexColor(accent) ?? (parseHexColor(DEFAULT_ACCENT) as Rgb);
  const onAccent = contrast(base, WHITE) >= contrast(base, BLACK) ? WHITE : BLACK;
  let ink = base;
  for (let step = 1; contrast(ink, DARKEST_SURFACE) < AA && step <= 20; step++) {
    ink = base.map((c) => Math.round(c * (1 - step * 0.05))) as Rgb;
  }
  return { accent: toHex(base), onAccent: toHex(onAccent), ink: toHex(ink) };
}
