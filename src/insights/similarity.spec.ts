import { groupSimilar, meaningTokens, similarity } from './similarity.js';

describe('grouping unanswered questions', () => {
  it('sees the same question in other words and forms', () => {
    expect(
      similarity(meaningTokens('Does insurance cover ketamine?'), meaningTokens('is ketamine covered by my insurance')),
    ).toBe(1);
    expect(similarity(meaningTokens('Does insurance cover ketamine?'), meaningTokens('can I drive after a session'))).toBe(0);
  });

  it('groups and counts, largest group first, keeping different questions apart', () => {
    const texts = [
      'can my dog come to sessions',
      'Does insurance cover ketamine?',
      'is ketamine covered by insurance',
      'does my insurance cover ketamine treatment',
      'can I bring my dog to a session',
      'what is the parking like',
    ];
    const groups = groupSimilar(texts.map((text) => ({ text })));
    expect(groups.map((g) => g.map((i) => i.text))).toEqual([
      ['Does insurance cover ketamine?', 'is ketamine covered by insurance', 'does my insurance cover ketamine treatment'],
      ['can my dog come to sessions', 'can I bring my dog to a session'],
      ['what is the parking like'],
    ]);
  });

  it('ignores redaction marks', () => {
    expect(similarity(meaningTokens('can I bring my dog? [phone] [email]'), meaningTokens('can i bring my dog'))).toBe(1);
  });

  it('groups questions made only of filler words by their exact words', () => {
    const groups = groupSimilar([{ text: 'what?' }, { text: 'What' }, { text: 'how?' }]);
    expect(groups.map((g) => g.length)).toEqual([2, 1]);
  });
});
