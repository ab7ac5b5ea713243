import { TRIAGE_TEXT_MAX, triageText } from './triage-text.js';

describe('triage text', () => {
  it('redacts emails and phone numbers before keeping anything', () => {
    expect(triageText('can you call me at 555-201-3344 or ana.lopez@gmail.com about cost')).toBe(
      'can you call me at [phone] or [email] about cost',
    );
  });

  it('keeps at most 300 characters, never half an emoji', () => {
    const long = `${'ketamine '.repeat(40)}😀😀`;
    expect(Array.from(triageText(long)).length).toBe(TRIAGE_TEXT_MAX);
    expect(triageText(`${'a'.repeat(299)}😀 more`)).toBe(`${'a'.repeat(299)}😀`);
  });
});
