import { compilePattern } from './pattern.js';
import { prepareForScreening } from './screening-text.js';

const matches = (pattern: string, text: string) => compilePattern(pattern).test(prepareForScreening(text));

describe('compilePattern', () => {
  it('matches whole words in order, not parts of words', () => {
    expect(matches('kill myself', 'I want to kill myself')).toBe(true);
    expect(matches('kill myself', 'skill myselfie')).toBe(false);
    expect(matches('kill myself', 'myself kill')).toBe(false);
  });

  it('supports alternatives, optional words, prefixes, gaps, numbers and sentence ends', () => {
    expect(matches('{want|wish} to die', 'I wish to die')).toBe(true);
    expect(matches('[really] want to die', 'I really want to die')).toBe(true);
    expect(matches('[really] want to die', 'I want to die')).toBe(true);
    expect(matches('suicid~', 'feeling suicidal')).toBe(true);
    expect(matches('took * pills', 'took all of my pills')).toBe(true);
    expect(matches('took * pills', 'took one two three four pills')).toBe(false);
    expect(matches('took *6 pills', 'took one two three four pills')).toBe(true);
    expect(matches('took # pills', 'took 30 pills')).toBe(true);
    expect(matches('took # pills', 'took many pills')).toBe(false);
    expect(matches('picked a date $', 'I picked a date. March 3rd')).toBe(true);
    expect(matches('picked a date $', 'I picked a date for my session')).toBe(false);
  });

  it('never matches across a sentence boundary', () => {
    expect(matches('want * die', 'I want to. Die')).toBe(false);
    expect(matches('want to die', 'I want to. Die')).toBe(false);
  });

  it('reads accents, case and stretched letters alike in text and pattern', () => {
    expect(matches('no quiero vivir más', 'NO QUIERO VIVIR MAS')).toBe(true);
    expect(matches('kill myself', 'kiiiiill myselfff')).toBe(true);
  });

  it('rejects unreadable patterns with a message', () => {
    expect(() => compilePattern('{a|b')).toThrow();
    expect(() => compilePattern('[maybe]')).toThrow(/required word/);
    expect(() => compilePattern('kill {my|{nested}}')).toThrow();
    expect(() => compilePattern('kill my$elf')).toThrow(/letters or digits/);
  });
});

describe('prepareForScreening', () => {
  it.each([
    ['zero-width characters', 'sui\u200bcide', ' suicide '],
    ['soft hyphens', 'sui\u00adcidal', ' suicidal '],
    ['Cyrillic look-alikes', 'k\u0456ll mys\u0435lf', ' kil myself '],
    ['letter-digit swaps', 'k1ll mys3lf', ' kil myself '],
    ['spelled-out words', 'k i l l myself', ' kil myself '],
    ['dotted letters', 'k.i.l.l.i.n.g myself', ' kiling myself '],
    ['full-width letters', 'ｋｉｌｌ', ' kil '],
    ['apostrophes and case', "I'M DONE", ' im done '],
  ])('reads %s as plain words', (_name, input, expected) => {
    expect(prepareForScreening(input)).toBe(expected);
  });

  it('keeps numbers as numbers and marks sentence ends and questions', () => {
    expect(prepareForScreening('call 988. now?')).toBe(' cal 988 | now |? ');
    expect(prepareForScreening('¿quiero morir?')).toBe(' ¿ quiero morir |? ');
  });

  it('treats an ellipsis as a pause, not a sentence end', () => {
    expect(prepareForScreening('disappear... forever')).toBe(' disapear forever ');
  });
});
