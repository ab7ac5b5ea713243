import type { AppConfig } from '../config/app-config.js';
import { loadCorpus, type Corpus } from '../knowledge/corpus-loader.js';
import type { KnowledgeService } from '../knowledge/knowledge.service.js';
import { resolveFromRoot } from '../paths.js';
import { MatchingService } from './matching.service.js';

describe('MatchingService', () => {
  let corpus: Corpus;
  beforeAll(async () => {
    const result = await loadCorpus(resolveFromRoot('knowledge'));
    if (!result.ok) throw new Error('the shipped corpus does not load');
    corpus = result.corpus;
  });
  const settings: Record<string, unknown> = {
    MATCH_THRESHOLD: 0.4,
    MATCH_MIN_MARGIN: 0.08,
    MATCH_CLASSIFIER_WEIGHT: 0.3,
    MATCH_CLASSIFIER_WEIGHT_ES: 0.6,
    MATCH_DISAGREEMENT_PENALTY: 0.15,
    DATA_DIR: ':memory:',
    MATCHER_CACHE_DIR: ':memory:',
  };
  const config = { get: (key: string) => settings[key] } as unknown as AppConfig;
  const knowledge = { onChange: () => undefined } as unknown as KnowledgeService;
  /** The first n English entries: each n is a different corpus, with a classifier of its own to train. */
  const first = (n: number) => ({ entries: corpus.entries.filter((e) => e.locale === 'en').slice(0, n), synonyms: corpus.synonyms });

  it('builds a new matcher off to the side, classifier trained in a worker, and swaps it in whole', async () => {
    const service = new MatchingService(knowledge, config);
    const one = await service.rebuild(first(8));
    expect(service.current).toBe(one);
    const pending = service.rebuild(first(9));
    // Until the new matcher is complete, questions go to the old one.
    expect(service.current).toBe(one);
    const two = await pending;
    expect(service.current).toBe(two);
    expect(two.locales.get('en')!.entries).toHaveLength(9);
    expect(two.locales.get('en')!.hasClassifier).toBe(true);
    expect(two.match('what is ketamine', 'en').ranked[0].classifier).not.toBeNull();
  });

  it('keeps the newest corpus when rebuilds overlap, even if an older one finishes last', async () => {
    const service = new MatchingService(knowledge, config);
    await service.rebuild(first(6)); // cached from now on: rebuilding it again is quick
    const slow = service.rebuild(first(11)); // trains first
    const fast = service.rebuild(first(6));
    const [older, newer] = await Promise.all([slow, fast]);
    expect(service.current).toBe(newer);
    expect(service.current).not.toBe(older);
  });

  describe('with the knowledge service (publishing swaps in a prepared matcher)', () => {
    let listener: (c: Corpus) => void;
    const watching = { onChange: (l: (c: Corpus) => void) => (listener = l) } as unknown as KnowledgeService;
    const ask = (service: MatchingService) => service.match('What is ketamine-assisted psychotherapy?', 'en').answer?.entry.id;

    it('refuses a corpus that cannot be indexed at once, and keeps the live matcher', async () => {
      const service = new MatchingService(watching, config);
      await service.rebuild(corpus);
      expect(() => listener({ ...corpus, entries: null } as unknown as Corpus)).toThrow();
      expect(ask(service)).toBe('what-is-kap');
    });

    it('tries a corpus without touching the live matcher, then swaps in that very matcher', async () => {
      const service = new MatchingService(watching, config);
      await service.rebuild(corpus);
      const renamed = { ...corpus, entries: corpus.entries.map((e) => (e.id === 'what-is-kap' ? { ...e, id: 'what-is-kap-2' } : e)) };
      const tryIt = await service.prepare(renamed);
      expect(tryIt('What is ketamine-assisted psychotherapy?', 'en').answer?.entry.id).toBe('what-is-kap-2');
      expect(ask(service)).toBe('what-is-kap');
      listener(renamed);
      // Swapped in the same step: no rebuild to wait for.
      expect(ask(service)).toBe('what-is-kap-2');
    });
  });
});
