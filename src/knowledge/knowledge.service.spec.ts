import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AppConfig } from '../config/app-config.js';
import { resolveFromRoot } from '../paths.js';
import { KnowledgeService } from './knowledge.service.js';

describe('KnowledgeService', () => {
  let dir: string;
  let service: KnowledgeService;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'knowledge-'));
    await cp(resolveFromRoot('knowledge'), dir, { recursive: true });
    const config = { get: (key: string) => ({ KNOWLEDGE_DIR: dir, KNOWLEDGE_WATCH: false })[key] } as unknown as AppConfig;
    service = new KnowledgeService(config);
    await service.onModuleInit();
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('keeps the live corpus when a reload finds an invalid file, and reports file and field', async () => {
    const before = service.current;
    await writeFile(path.join(dir, 'en', 'what-is-kap.md'), '---\nid: what-is-kap\nlocale: en\n---\nBroken.');
    const result = await service.reload();
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems).toEqual(expect.arrayContaining([expect.objectContaining({ file: 'en/what-is-kap.md', field: 'question' })]));
    expect(service.current).toBe(before);
    expect(service.entry('en', 'what-is-kap')?.question).toBe(before.entries.find((e) => e.id === 'what-is-kap')?.question);
  });

  it('swaps in a valid new corpus and tells its listeners', async () => {
    const seen: string[] = [];
    service.onChange((corpus) => seen.push(corpus.version));
    const file = path.join(dir, 'en', 'what-is-kap.md');
    const { readFile } = await import('node:fs/promises');
    await writeFile(file, (await readFile(file, 'utf8')).replace('question: What is', 'question: So, what is'));
    const result = await service.reload();
    expect(result.ok).toBe(true);
    expect(seen).toHaveLength(2);
    expect(seen[1]).not.toBe(seen[0]);
    expect(service.entry('en', 'what-is-kap')?.question).toMatch(/^So, what is/);
  });

  it('refuses to start with an invalid corpus, naming the problem', async () => {
    await writeFile(path.join(dir, 'en', 'broken.md'), 'no front matter');
    const config = { get: (key: string) => ({ KNOWLEDGE_DIR: dir, KNOWLEDGE_WATCH: false })[key] } as unknown as AppConfig;
    await expect(new KnowledgeService(config).onModuleInit()).rejects.toThrow(/en\/broken\.md/);
  });

  it('swaps in a corpus only when every listener accepted it (a matcher that fails to build keeps the old one)', () => {
    const before = service.current;
    service.onChange((corpus) => {
      if (corpus.version === 'broken') throw new Error('index build failed');
    });
    expect(service.setLive({ ...before, version: 'broken', entries: [] })).toBe(false);
    expect(service.current).toBe(before);
    expect(service.setLive({ ...before, version: 'fine' })).toBe(true);
    expect(service.current.version).toBe('fine');
  });

  it('hands a valid baseline to the live source, which decides what goes live', async () => {
    const seen: string[] = [];
    service.useLiveSource(async (baseline) => {
      seen.push(baseline.version);
      service.setLive({ ...baseline, version: 'from-the-store' });
    });
    await service.reload();
    expect(seen).toEqual([expect.stringMatching(/^[0-9a-f]{12}$/)]);
    expect(service.current.version).toBe('from-the-store');
  });
});
