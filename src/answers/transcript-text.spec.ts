import { transcriptText } from './transcript-text.js';

describe('transcriptText (replies in staff transcripts)', () => {
  it('keeps paragraphs and list items on their own lines, without tags', () => {
    expect(
      transcriptText(
        '<p>Thank you for telling me.</p><ul><li><a href="tel:988">Call 988</a>: free.</li><li>Text 988</li></ul><p>Are you safe?</p>',
      ),
    ).toBe('Thank you for telling me.\nCall 988: free.\nText 988\nAre you safe?');
  });

  it('gives characters as written, never entities, and never lets markup through as markup', () => {
    expect(transcriptText('<p>988 Suicide &amp; Crisis Lifeline &lt;24/7&gt; "free"</p>')).toBe(
      '988 Suicide & Crisis Lifeline <24/7> "free"',
    );
    expect(transcriptText('<p>a &amp;lt;b&amp;gt; c</p>')).toBe('a &lt;b&gt; c');
    expect(transcriptText('<script>alert(1)</script><p>ok</p>')).toBe('ok');
  });

  it('folds runs of spaces, source line breaks and blank lines', () => {
    expect(transcriptText('<p>  one \n  two </p>\n\n<p>three<br>four</p>')).toBe('one two\nthree\nfour');
  });
});
