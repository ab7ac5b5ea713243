import type { Entry } from '../knowledge/entry.schema.js';
import type { PhrasingClassifier } from './classifier.js';
import { DEFAULT_MATCH_OPTIONS, Matcher, type MatchOptions } from './matcher.js';

function entry(id: string, question: string, alternates: string[], body: string, tags: string[] = []): Entry {
  return {
    id,
    locale: 'en',
    question,
    alternates,
    tags,
    evidence: 'limited',
    sources: [{ title: 'A source', publisher: 'NIMH', url: 'https://www.nimh.nih.gov/' }],
    related: [],
    showCrisisResources: false,
    showClinicContact: false,
    reviewed: '2026-01-01',
    reviewBy: '2027-01-01',
    body,
    html: `<p>${body}</p>`,
    file: `en/${id}.md`,
  };
}

const entries = [
  entry(
    'what-is-kap',
    'What is ketamine-assisted psychotherapy?',
    ['what does kap mean'],
    'KAP pairs ketamine with talk therapy.',
    ['kap'],
  ),
  entry(
    'side-effects',
    'What are the side effects of ketamine?',
    ['will I feel sick after'],
    'Nausea, dizziness and feeling detached are common and short-lived.',
    ['side effects'],
  ),
  entry(
    'insurance-cost',
    'Does insurance cover ketamine treatment?',
    ['how much does it cost'],
    'Coverage varies; Spravato is often covered, infusions often are not.',
    ['insurance', 'cost'],
  ),
  entry(
    'driving-after',
    'Can I drive after a session?',
    ['do I need a ride home'],
    'Do not drive until the next day after restful sleep.',
    ['driving'],
  ),
  entry(
    'spravato-esketamine',
    'What is Spravato?',
    ['is the nasal spray approved'],
    'Spravato is an esketamine nasal spray approved by the FDA.',
    ['spravato'],
  ),
  entry(
    'esketamine-dosing',
    'How is the esketamine nasal spray given?',
    ['is the nasal spray given'],
    'It is used in a certified clinic under watch.',
    ['dosing'],
  ),
];
const synonyms = {
  groups: [
    ['kap', 'ketamine-assisted psychotherapy'],
    ['spravato', 'esketamine'],
  ],
  misspellings: { ketamin: 'ketamine' },
  domainTerms: ['ketamine', 'kap', 'spravato', 'session', 'insurance'],
};
const empty = { groups: [], misspellings: {}, domainTerms: [] };
/** Lexical only here (no classifier): the learned matcher has its own specs. */
const build = (options: Partial<MatchOptions>) =>
  new Matcher({ entries, synonyms: { en: synonyms, es: empty } }, { ...DEFAULT_MATCH_OPTIONS, classifierWeight: 0, ...options });
const matcher = build({ threshold: 0.4, minMargin: 0.05 });
const answer = (q: string) => matcher.match(q, 'en').answer?.entry.id ?? null;

describe('Matcher', () => {
  it('answers with the entry whose phrasing matches', () => {
    expect(answer('What are the side effects of ketamine?')).toBe('side-effects');
    expect(answer('can i drive after a session')).toBe('driving-after');
  });

  it('ignores case, accents and punctuation', () => {
    expect(answer('WHAT ARE THE SIDÉ-EFFECTS OF KETAMINE???')).toBe('side-effects');
  });

  it('fixes known misspellings and near-misses of corpus words', () => {
    expect(answer('side efects of ketamin')).toBe('side-effects');
    expect(answer('does insurence cover it')).toBe('insurance-cost');
  });

  it('does not "correct" a real English word into a corpus word', () => {
    expect(matcher.tokens('whole')).toEqual(['whole']);
  });

  it('treats synonyms as the same word', () => {
    expect(matcher.tokens('ketamine-assisted psychotherapy')).toEqual(['kap']);
    expect(answer('what does ketamine-assisted psychotherapy mean')).toBe('what-is-kap');
  });

  it('falls back on off-topic questions, however common their other words', () => {
    const result = matcher.match('What is the capital of France?', 'en');
    expect(result.answer).toBeNull();
    expect(result.reason).toBe('below-threshold');
    expect(matcher.match('how do I bake ketamine bread', 'en').answer).toBeNull();
  });

  it('falls back when two entries are too close to tell apart', () => {
    const result = matcher.match('nasal spray', 'en');
    expect(result.reason).toBe('ambiguous');
    expect(result.answer).toBeNull();
    expect(
      result.ranked
        .slice(0, 2)
        .map((r) => r.entry.id)
        .sort(),
    ).toEqual(['esketamine-dosing', 'spravato-esketamine']);
  });

  it('gives confidences between 0 and 1, best first', () => {
    const { ranked } = matcher.match('does insurance cover the cost', 'en');
    expect(ranked[0].entry.id).toBe('insurance-cost');
    for (const r of ranked) expect(r.score).toBeGreaterThanOrEqual(0);
    for (const r of ranked) expect(r.score).toBeLessThanOrEqual(1);
    expect(ranked.map((r) => r.score)).toEqual([...ranked.map((r) => r.score)].sort((a, b) => b - a));
  });

  it('answers nothing for a message without content words', () => {
    expect(matcher.match('what is it?', 'en').reason).not.toBe('answered');
    expect(matcher.match('???', 'en').reason).toBe('no-terms');
  });

  it('uses English entries for a locale that has none yet', () => {
    expect(matcher.match('What are the side effects of ketamine?', 'es').answer?.entry.id).toBe('side-effects');
  });

  it('applies the configured threshold', () => {
    const strict = build({ threshold: 0.99, minMargin: 0 });
    expect(strict.match('side effects', 'en').answer).toBeNull();
    const loose = build({ threshold: 0.1, minMargin: 0 });
    expect(loose.match('side effects', 'en').answer?.entry.id).toBe('side-effects');
  });

  it('drops words that only frame a question when the corpus does not use them, and bare numbers', () => {
    // "brother" and "scared" are framing words the corpus never uses: they no longer outweigh "drive".
    expect(matcher.tokens('my brother is scared, can he drive after a session')).toEqual(matcher.tokens('can he drive after a session'));
    expect(answer('my brother is scared, can he drive after a session')).toBe('driving-after');
    // A framing word the corpus does use keeps its weight.
    const withFriend = new Matcher(
      { entries: [...entries, entry('friend-visits', 'Can a friend come to my session?', [], 'Yes, a friend may wait outside.')], synonyms: { en: synonyms, es: empty } },
      { ...DEFAULT_MATCH_OPTIONS, classifierWeight: 0 },
    );
    expect(withFriend.tokens('friend')).toEqual(['friend']);
    // Numbers name no topic ("my 25-year-old"), in questions and in the corpus alike.
    expect(matcher.tokens('I have tried 5 antidepressants in 10 years')).toEqual(matcher.tokens('I have tried antidepressants in years'));
    // A question of framing words only asks nothing.
    expect(matcher.match('my mom and my sister', 'en').reason).toBe('no-terms');
  });

  describe('when the lexical score and the classifier disagree', () => {
    /** A stand-in classifier that is sure of one entry, whatever the question. */
    const sureOf = (id: string): PhrasingClassifier => {
      const index = entries.findIndex((e) => e.id === id);
      return {
        classes: entries.length,
        probabilities: () => Float64Array.from(entries, (_e, i) => (i === index ? 1 : 0)),
      } as unknown as PhrasingClassifier;
    };
    const withClassifier = (id: string, options: Partial<MatchOptions>) => {
      const m = new Matcher({ entries, synonyms: { en: synonyms, es: empty } }, { ...DEFAULT_MATCH_OPTIONS, threshold: 0.4, minMargin: 0, ...options });
      m.locales.get('en')!.useClassifier(sureOf(id));
      return m;
    };
    const question = 'can i drive after a session';

    it('answers as before when both pick the same entry', () => {
      const m = withClassifier('driving-after', { disagreementPenalty: 0.5 });
      expect(m.match(question, 'en').answer?.entry.id).toBe('driving-after');
    });

    it('asks for a clearer lead when they pick different entries', () => {
      const lenient = withClassifier('side-effects', { disagreementPenalty: 0 });
      const strict = withClassifier('side-effects', { disagreementPenalty: 0.5 });
      expect(lenient.match(question, 'en').answer?.entry.id).toBe('driving-after');
      const result = strict.match(question, 'en');
      expect(result.answer).toBeNull();
      expect(result.reason).toBe('below-threshold');
      expect(result.ranked[0].entry.id).toBe('driving-after');
    });

    it('lets a sure, agreeing classifier vouch for a question that names no domain term', () => {
      const offDomain = 'a ride tonight';
      const lexicalOnly = build({ threshold: 0.05, minMargin: 0 }).match(offDomain, 'en');
      expect(lexicalOnly.ranked[0].entry.id).toBe('driving-after');
      expect(lexicalOnly.reason).toBe('off-topic');
      const agreeing = withClassifier('driving-after', { threshold: 0.05, disagreementPenalty: 0 }).match(offDomain, 'en');
      expect(agreeing.answer?.entry.id).toBe('driving-after');
      const disagreeing = withClassifier('what-is-kap', { threshold: 0, disagreementPenalty: 0, classifierWeight: 0.1 }).match(offDomain, 'en');
      expect(disagreeing.reason).toBe('off-topic');
    });

    it('weighs the classifier per locale where configured', () => {
      const m = withClassifier('side-effects', { classifierWeight: 0.3, classifierWeightByLocale: { en: 0.9 }, disagreementPenalty: 0 });
      // At 0.9 the sure classifier outweighs the lexical match; 0 still turns it off everywhere.
      expect(m.match(question, 'en').ranked[0].entry.id).toBe('side-effects');
      const off = withClassifier('side-effects', { classifierWeight: 0, classifierWeightByLocale: { en: 0.9 } });
      expect(off.match(question, 'en').ranked[0].entry.id).toBe('driving-after');
    });
  });
});
