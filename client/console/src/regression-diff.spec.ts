import type { Change } from './editor-protocol.js';
import { diffRows, diffSummary, formatScore, outcomeText } from './regression-diff.js';

const change = (over: Partial<Change> = {}): Change => ({
  text: 'ketamine for teens',
  locale: 'en',
  from: { entryId: 'adolescents', kind: 'alternate' },
  before: { reply: 'answer', entryId: 'adolescents', score: 0.9123 },
  after: { reply: 'fallback', entryId: null, score: 0.31 },
  ...over,
});

describe('the regression diff as a table', () => {
  it('writes outcomes as people read them, naming entries by their question when known', () => {
    const questions = { 'en/adolescents': 'Is ketamine used for teenagers?' };
    expect(outcomeText({ reply: 'answer', entryId: 'adolescents', score: 0.9123 }, 'en', questions)).toBe(
      'adolescents: “Is ketamine used for teenagers?” (0.91)',
    );
    expect(outcomeText({ reply: 'answer', entryId: 'side-effects', score: null }, 'en', questions)).toBe('Entry side-effects');
    // Questions are per language: the Spanish entry of the same id is not named by the English question.
    expect(outcomeText({ reply: 'answer', entryId: 'adolescents', score: 0.5 }, 'es', questions)).toBe(
      'Entry adolescents (0.50)',
    );
    expect(outcomeText({ reply: 'fallback', entryId: null, score: 0.31 }, 'en')).toBe('No answer (fallback, best 0.31)');
    expect(outcomeText({ reply: 'fallback', entryId: null, score: null }, 'en')).toBe('No answer (fallback)');
    expect(outcomeText({ reply: 'crisis', entryId: null, score: null }, 'en')).toBe('Crisis reply');
  });

  it('makes one row per change: question, where it comes from, before and after, and whether the entry lost it', () => {
    const rows = diffRows(
      [
        change(),
        change({
          text: '¿ketamina para adolescentes?',
          locale: 'es',
          from: { entryId: 'adolescents', kind: 'test-question' },
          after: { reply: 'answer', entryId: 'adolescents', score: 0.7 },
          before: { reply: 'answer', entryId: 'what-is-kap', score: 0.6 },
        }),
        change({ text: 'age limit', from: { entryId: 'what-is-kap', kind: 'question' } }),
      ],
      'en',
    );
    expect(rows).toEqual([
      {
        question: 'ketamine for teens',
        asked: 'Other phrasing of adolescents',
        before: 'Entry adolescents (0.91)',
        after: 'No answer (fallback, best 0.31)',
        lost: true,
      },
      {
        question: '¿ketamina para adolescentes?',
        asked: 'Test question for adolescents (Spanish)',
        before: 'Entry what-is-kap (0.60)',
        after: 'Entry adolescents (0.70)',
        lost: false,
      },
      {
        question: 'age limit',
        asked: 'Question of what-is-kap',
        before: 'Entry adolescents (0.91)',
        after: 'No answer (fallback, best 0.31)',
        // It was never this entry's answer to lose.
        lost: false,
      },
    ]);
  });

  it('summarises and rounds', () => {
    expect(diffSummary(1, 120)).toBe('1 question would get a different answer (of 120 checked).');
    expect(diffSummary(3, 1795)).toBe('3 questions would get a different answer (of 1,795 checked).');
    expect(formatScore(0.456)).toBe('0.46');
    expect(formatScore(null)).toBe('—');
    expect(formatScore(Number.NaN)).toBe('—');
  });
});
