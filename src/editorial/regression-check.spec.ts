import type { Corpus } from '../knowledge/corpus-loader.js';
import type { Entry } from '../knowledge/entry.schema.js';
import { compareOutcomes, probesFor, type Outcome, type Probe } from './regression-check.js';

const entry = (id: string, question: string, alternates: string[]): Entry =>
  ({ id, locale: 'en', question, alternates, file: `en/${id}.md` }) as unknown as Entry;
const corpus = (entries: Entry[]): Corpus => ({
  version: 'v',
  entries,
  synonyms: { en: { groups: [], misspellings: {}, domainTerms: [] }, es: { groups: [], misspellings: {}, domainTerms: [] } },
  warnings: [],
});

describe('the regression check', () => {
  it('asks every phrasing of both corpora and every saved question once', () => {
    const live = corpus([entry('a', 'What is A?', ['tell me about a', 'A explained'])]);
    const draft = corpus([entry('a', 'What is A?', ['tell me about A!', 'a new phrasing'])]);
    const probes = probesFor([live, draft], [{ locale: 'en', entryId: 'a', text: 'what is a' }]);
    expect(probes.map((p) => `${p.from.kind}:${p.text}`)).toEqual([
      'question:What is A?',
      'alternate:tell me about a',
      'alternate:A explained',
      'alternate:a new phrasing',
    ]);
  });

  it('reports only questions whose reply changes, not scores that move', async () => {
    const probes: Probe[] = ['one', 'two', 'three'].map((text) => ({
      text,
      locale: 'en',
      from: { entryId: 'a', kind: 'alternate' },
    }));
    const before: Record<string, Outcome> = {
      one: { reply: 'answer', entryId: 'a', score: 0.8 },
      two: { reply: 'answer', entryId: 'a', score: 0.7 },
      three: { reply: 'fallback', entryId: null, score: 0.2 },
    };
    const after: Record<string, Outcome> = {
      one: { reply: 'answer', entryId: 'a', score: 0.6 },
      two: { reply: 'answer', entryId: 'b', score: 0.7 },
      three: { reply: 'answer', entryId: 'a', score: 0.5 },
    };
    const changes = await compareOutcomes(
      probes,
      (p) => before[p.text],
      (p) => after[p.text],
    );
    expect(changes.map((c) => [c.text, c.before.entryId, c.after.entryId])).toEqual([
      ['two', 'a', 'b'],
      ['three', null, 'a'],
    ]);
  });
});
