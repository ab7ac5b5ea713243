import { readJsonl } from '../../test/support/fixtures.js';
import { loadCorpus } from '../knowledge/corpus-loader.js';
import { resolveFromRoot } from '../paths.js';
import { loadScreen } from './safety.service.js';

/**
 * Every way the corpus phrases a question, and every line of the question sets, is something a visitor
 * may type about the treatment: none of it may bring up the crisis reply, a flag and a page. The
 * alternates of the entries about suicidal thoughts are topic questions (informational).
 */
const screen = loadScreen(resolveFromRoot('knowledge/safety'));
const crises = (texts: string[]) =>
  texts
    .map((text) => ({ text, d: screen.screen(text) }))
    .filter(({ d }) => d.level === 'crisis')
    .map(({ text, d }) => `${text} :: ${d.reasons.map((r) => `${r.rule}=${r.matched}`).join(', ')}`);

describe('hard negatives', () => {
  it('screens every question and alternate of the corpus, in every language, below crisis', async () => {
    const result = await loadCorpus(resolveFromRoot('knowledge'));
    if (!result.ok) throw new Error('the corpus does not load');
    const phrasings = result.corpus.entries.flatMap((e) => [e.question, ...e.alternates]);
    expect(phrasings.length).toBeGreaterThan(1000);
    expect(crises(phrasings)).toEqual([]);
  });

  it.each([
    'questions.dev.jsonl',
    'questions.dev.es.jsonl',
    'questions.holdout.jsonl',
    'blind/questions.blind.jsonl',
    'blind2/questions.blind2.jsonl',
    'heldout/questions.heldout.en.jsonl',
    'heldout/questions.heldout.es.jsonl',
  ])('screens every line of %s below crisis', (file) => {
    const texts = readJsonl<{ text: string }>(file).map((q) => q.text);
    expect(texts.length).toBeGreaterThan(50);
    expect(crises(texts)).toEqual([]);
  });

  it('reads a disclosure phrased as a question as a crisis: it belongs in no corpus', () => {
    expect(screen.screen("I've been suicidal for months, would ketamine help?")).toMatchObject({ level: 'crisis', kind: 'disclosure' });
    expect(screen.screen('He pensado en quitarme la vida desde hace meses, ¿me ayudaría la ketamina?')).toMatchObject({ level: 'crisis' });
    // ... while the same topic asked about in general stays a topic question.
    expect(screen.screen('Would ketamine help someone who has been suicidal for months?').level).toBe('informational');
  });
});
