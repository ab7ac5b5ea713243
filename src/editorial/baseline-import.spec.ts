import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AppConfig } from '../config/app-config.js';
import { buildCorpus, type Corpus } from '../knowledge/corpus-loader.js';
import { resolveFromRoot } from '../paths.js';
import { StorageService } from '../storage/storage.service.js';
import { BaselineImport } from './baseline-import.js';
import { CorpusStore } from './corpus-store.js';
import { toEntry, type EntryContent } from './entry-content.js';
import { parseEntryFile, renderEntryFile } from './entry-file.js';
import { storeCases } from '../../test/support/postgres.js';

const load = (id: string): EntryContent => {
  const parsed = parseEntryFile(readFileSync(resolveFromRoot(`knowledge/en/${id}.md`), 'utf8'), 'en', id);
  if (!parsed.ok) throw new Error(id);
  return { ...parsed.content, related: [] };
};
/** A baseline as the loader returns it, with each entry's file text. */
const baseline = (contents: EntryContent[]): Corpus => {
  const result = buildCorpus(contents.map(toEntry), { en: { groups: [], misspellings: {}, domainTerms: [] }, es: { groups: [], misspellings: {}, domainTerms: [] } }, 'v');
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  result.corpus.files = new Map(contents.map((c) => [`en/${c.id}.md`, renderEntryFile(c)]));
  return result.corpus;
};

describe.each(storeCases)('BaselineImport (real $name)', (cases) => {
  let dir: string;
  let storage: StorageService;
  let store: CorpusStore;
  let importer: BaselineImport;
  const a = load('what-is-kap');
  const b = load('side-effects');
  const c = load('driving-after');

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'kap-baseline-'));
    const values: Record<string, unknown> = { DATA_DIR: dir, ...(await cases.config()) };
    storage = new StorageService({ get: (key: string) => values[key] } as unknown as AppConfig);
    await storage.migrate();
    store = new CorpusStore(storage);
    importer = new BaselineImport(store);
  });
  afterEach(async () => {
    await storage.onApplicationShutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  const staffEdit = async (content: EntryContent) => {
    const state = (await store.state('en', content.id))!;
    await store.transaction(async (trx) => {
      const parent = await store.revision(state.head, trx);
      const rev = await store.addRevision(trx, {
        locale: 'en',
        entryId: content.id,
        parent: parent!,
        kind: 'edit',
        content,
        source: null,
        authorId: 'staff-1',
        at: 'now',
      });
      await store.moveEntry(trx, 'en', content.id, state.head, { head: rev.id }, 'now');
    });
  };
  const liveQuestion = async (id: string) => (await store.live()).find((l) => l.content.id === id)?.content.question ?? null;

  it('adds new entries as published, then sees nothing new in the same baseline', async () => {
    expect(await importer.run(baseline([a, b]))).toMatchObject({ added: ['en/what-is-kap', 'en/side-effects'] });
    expect(await importer.run(baseline([a, b]))).toMatchObject({ added: [], published: [], drafts: [], unchanged: 2 });
    expect((await store.live()).map((l) => l.content.id).sort()).toEqual(['side-effects', 'what-is-kap']);
  });

  it('publishes a change where nobody edited, drafts it where staff did, retires what is gone', async () => {
    await importer.run(baseline([a, b, c]));
    await staffEdit({ ...b, tags: [...b.tags, 'staff'] });
    const report = await importer.run(
      baseline([
        { ...a, question: 'What is KAP, in short?' },
        { ...b, question: 'Side effects, which are common?' },
      ]),
    );
    expect(report).toMatchObject({ published: ['en/what-is-kap'], drafts: ['en/side-effects'], retired: ['en/driving-after'] });
    expect(await liveQuestion('what-is-kap')).toBe('What is KAP, in short?');
    expect(await liveQuestion('side-effects')).toBe(b.question);
    expect(await liveQuestion('driving-after')).toBeNull();
    const history = await store.history('en', 'side-effects');
    expect(history.map((r) => [r.kind, r.publishedAt !== null])).toEqual([
      ['baseline', false],
      ['edit', false],
      ['baseline', true],
    ]);
  });

  it('sees a baseline that now says what staff wrote (an export committed to git) as nothing new', async () => {
    await importer.run(baseline([a]));
    const edited = { ...a, tags: [...a.tags, 'staff'] };
    await staffEdit(edited);
    const report = await importer.run(baseline([edited]));
    expect(report).toMatchObject({ reconciled: ['en/what-is-kap'], drafts: [], published: [] });
    expect((await store.history('en', 'what-is-kap')).length).toBe(2);
  });

  it('writes nothing when the live corpus that would result is invalid', async () => {
    await importer.run(baseline([a, b]));
    await staffEdit({ ...b, alternates: [...b.alternates, 'tell me about kap basics'] });
    // Published edit of b: its live revision now holds the phrasing...
    const state = (await store.state('en', 'side-effects'))!;
    await store.transaction((trx) => store.moveEntry(trx, 'en', 'side-effects', state.head, { live: state.head }, 'now'));
    // ...and the baseline gives the same phrasing to a, which would be published at once.
    await expect(
      importer.run(baseline([{ ...a, alternates: [...a.alternates, 'Tell me about KAP basics?'] }, b])),
    ).rejects.toThrow(/also a phrasing/);
    expect((await store.history('en', 'what-is-kap')).length).toBe(1);
  });
});
