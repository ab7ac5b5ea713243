import type { AppConfig } from '../config/app-config.js';
import { loadCorpus, type Corpus } from '../knowledge/corpus-loader.js';
import type { KnowledgeService } from '../knowledge/knowledge.service.js';
import { resolveFromRoot } from '../paths.js';
import { MatchingService } from './matching.service.js';

describe('MatchingService: rebuild and swap', () => {
  let corpus: Corpus;
  let service: MatchingService;

  beforeAll(async () => {
    const result = await loadCorpus(resolveFromRoot('knowledge'));
    if (!result.ok) throw new Error('the shipped corpus does not load');
    corpus = result.corpus;
  });
  beforeEach(() => {
    const knowledge = { onChange: (listener: (c: Corpus) => void) => listener(corpus) } as unknown as KnowledgeService;
    const config = { get: (key: string) => ({ MATCH_THRESHOLD: 0.4, MATCH_MIN_MARGIN: 0.02 })[key] } as unknown as AppConfig;
    service = new MatchingService(knowledge, config);
  });

  it('keeps the old index live when the new one fails to build', () => {
    const broken = { ...corpus, entries: null } as unknown as Corpus;
    expect(() => service.rebuild(broken)).toThrow();
    expect(service.match('What is ketamine-assisted psychotherapy?', 'en').answer?.entry.id).toBe('what-is-kap');
  });

  it('tries a corpus without touching the live index, then swaps in that very index', () => {
    const renamed = {
      ...corpus,
      entries: corpus.entries.map((e) => (e.id === 'what-is-kap' ? { ...e, id: 'what-is-kap-2' } : e)),
    };
    const tryIt = service.prepare(renamed);
    expect(tryIt('What is ketamine-assisted psychotherapy?', 'en').answer?.entry.id).toBe('what-is-kap-2');
    expect(service.match('What is ketamine-assisted psychotherapy?', 'en').answer?.entry.id).toBe('what-is-kap');
    service.rebuild(renamed);
    expect(service.match('What is ketamine-assisted psychotherapy?', 'en').answer?.entry.id).toBe('what-is-kap-2');
  });
});
