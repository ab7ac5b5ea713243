// Every repository's queries on both stores: the embedded SQLite and PostgreSQL (when the test run has one,
// see test/support/services.mjs). The same code must give the same results on each; the services' own
// specs (retention, staff, outcome recorder, baseline import) run on both stores too.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FeedbackRepository } from '../src/chat/feedback.repository.js';
import type { AppConfig } from '../src/config/app-config.js';
import { ConversationsRepository } from '../src/conversations/conversations.repository.js';
import { CorpusStore } from '../src/editorial/corpus-store.js';
import { TestQuestions } from '../src/editorial/test-questions.js';
import { AuditLog } from '../src/escalation/audit-log.js';
import { FlagsRepository, type FlagRow } from '../src/escalation/flags.repository.js';
import { OutboxRepository, type OutboxItem } from '../src/escalation/outbox.repository.js';
import { TriageRepository } from '../src/insights/triage.repository.js';
import { NO_RISK } from '../src/safety/screen.js';
import { StorageService } from '../src/storage/storage.service.js';
import { storeCases } from './support/postgres.js';

const flag = (id: string, conversationId: string, status: FlagRow['status'] = 'open'): FlagRow => ({
  id,
  conversation_id: conversationId,
  locale: 'en',
  level: 'crisis',
  kind: 'disclosure',
  reasons: '["test"]',
  status,
  created_at: '2026-11-29T10:00:00.000Z',
  updated_at: '2026-11-29T10:00:00.000Z',
  acknowledged_at: null,
  acknowledged_by: null,
  resolved_at: null,
  resolved_by: null,
  resolution_note: null,
  escalated_at: null,
  visitor_contact: null,
  source_key: null,
});

const page = (flagId: string, sourceKey: string | null = null, priority = 2): OutboxItem => ({
  key: `${flagId}:primary:flag.new`,
  flagId,
  target: 'primary',
  event: 'flag.new',
  payload: { id: flagId },
  priority,
  sourceKey,
  giveUpAt: '2099-01-01T00:00:00.000Z',
});

describe.each(storeCases)('Repositories on $name', (store) => {
  let storage: StorageService;

  beforeAll(async () => {
    const values: Record<string, unknown> = { DATA_DIR: mkdtempSync(path.join(tmpdir(), 'kap-repos-')), ...(await store.config()) };
    storage = new StorageService({ get: (key: string) => values[key] } as unknown as AppConfig);
    await storage.migrate();
  });
  afterAll(() => storage.onApplicationShutdown());

  it('runs on the store it was configured for', () => {
    expect(storage.dialect).toBe(store.name === 'PostgreSQL' ? 'postgres' : 'sqlite');
  });

  it('conversations: saves, updates and reads a conversation; a turn stored twice is kept once', async () => {
    const repo = new ConversationsRepository(storage);
    const conversation = {
      id: 'conv-1',
      locale: 'en' as const,
      tokenHash: 'hash',
      risk: { ...NO_RISK },
      flagged: false,
      createdAt: '2026-11-29T10:00:00.000Z',
    };
    const turn = (seq: number, text: string) => ({ seq, role: 'visitor' as const, text, at: '2026-11-29T10:00:00.000Z', risk: 'none' as const });
    await repo.save(conversation, [turn(1, 'mail me at a@b.example')], { replace: false, redact: (s) => s.replace(/\S+@\S+/, '[email]') });
    await repo.save({ ...conversation, flagged: true }, [turn(1, 'again'), turn(2, 'second')], { replace: false });
    expect(await repo.find('conv-1')).toMatchObject({ id: 'conv-1', flagged: true, risk: NO_RISK });
    expect((await repo.turns('conv-1')).map((t) => [t.seq, t.text])).toEqual([
      [1, 'mail me at [email]'],
      [2, 'second'],
    ]);
    expect((await repo.turns('conv-1', 1)).map((t) => t.seq)).toEqual([2]);
    // Kept whole when flagged: earlier turns replaced.
    await repo.save({ ...conversation, flagged: true }, [turn(1, 'mail me at a@b.example'), turn(2, 'second')], { replace: true });
    expect((await repo.turns('conv-1'))[0].text).toBe('mail me at a@b.example');
    expect(await repo.find('nope')).toBeUndefined();
  });

  it('flags: one open flag per conversation, whoever inserts it', async () => {
    const flags = new FlagsRepository(storage);
    expect(await flags.insertIfNone(storage.db, flag('f1', 'c1'))).toBe(true);
    expect(await flags.insertIfNone(storage.db, flag('f2', 'c1'))).toBe(false);
    expect(await flags.insertIfNone(storage.db, flag('f3', 'c1', 'resolved'))).toBe(true);
    expect((await flags.openFlagFor('c1'))?.id).toBe('f1');
    await flags.update('f1', { status: 'acknowledged', acknowledged_by: 'staff-1' });
    expect(await flags.get('f1')).toMatchObject({ status: 'acknowledged', acknowledged_by: 'staff-1' });
    expect((await flags.unresolved()).map((f) => f.id)).toEqual(['f1']);
    await flags.update('f1', { status: 'open' });
    expect((await flags.dueForEscalation('2026-11-29T11:00:00.000Z')).map((f) => f.id)).toEqual(['f1']);
    expect(await flags.dueForEscalation('2026-11-29T09:00:00.000Z')).toEqual([]);
  });

  it('outbox: a page is queued once per key, and two workers claiming at once never share a page', async () => {
    const outbox = new OutboxRepository(storage);
    for (let i = 0; i < 30; i++) {
      await outbox.enqueue(storage.db, page(`p${i}`, null, i % 3));
      await outbox.enqueue(storage.db, page(`p${i}`, null, i % 3));
    }
    expect((await outbox.counts()).pending).toBe(30);
    const now = new Date();
    // Rounds of three workers claiming at the same moment, until nothing is left.
    const rounds: Array<Awaited<ReturnType<typeof outbox.claimDue>>> = [];
    for (let round = 0; round < 10; round++) {
      const claims = await Promise.all(['a', 'b', 'c'].map((w) => outbox.claimDue(`worker-${w}-${round}`, now, 60_000, 8)));
      if (claims.every((c) => c.length === 0)) break;
      rounds.push(...claims);
    }
    const claimed = rounds.flat().map((r) => r.id);
    expect(claimed.length).toBe(30);
    expect(new Set(claimed).size).toBe(30);
    // Most severe first within each claim.
    for (const rows of rounds) expect(rows.map((r) => r.priority)).toEqual([...rows.map((r) => r.priority)].sort((x, y) => y - x));
    const [a, b] = rounds.filter((r) => r.length > 0);
    // Leased: nobody claims them again until the lease runs out.
    expect(await outbox.claimDue('worker-d', now, 60_000)).toEqual([]);
    await outbox.delivered(a.map((r) => r.id));
    await outbox.retryLater(b[0].id, 1, new Date(now.getTime() - 1), 'HTTP 500');
    expect((await outbox.claimDue('worker-d', new Date(now.getTime() + 1), 60_000)).map((r) => r.id)).toEqual([b[0].id]);
    expect(await outbox.counts()).toEqual({ pending: 30 - a.length, failed: 0 });
  });

  it('outbox: when each source was last paged', async () => {
    const outbox = new OutboxRepository(storage);
    await outbox.enqueue(storage.db, { ...page('s1', 'source-1'), key: 's1:fold' });
    await outbox.deliveredByKey('s1:fold');
    const last = await outbox.lastPagedAt(['source-1', 'source-2']);
    expect([...last.keys()]).toEqual(['source-1']);
    expect(Date.parse(last.get('source-1')!)).toBeGreaterThan(0);
  });

  it('audit log: append-only in the database itself', async () => {
    const audit = new AuditLog(storage);
    const first = await audit.record({ staffId: 's1', action: 'flag.view', flagId: 'f1', conversationId: 'c1' });
    const second = await audit.record({ staffId: 's1', action: 'flag.resolve', flagId: 'f1', conversationId: 'c1', detail: { note: 'called back' } });
    expect(second.id).toBeGreaterThan(first.id);
    const trail = await audit.trail({ id: 'f1', conversationId: 'c1', createdAt: '2000-01-01T00:00:00.000Z' });
    expect(trail.map((t) => [t.action, t.note])).toEqual([
      ['flag.view', undefined],
      ['flag.resolve', 'called back'],
    ]);
    // By message, not toThrow: better-sqlite3 is a native module loaded once per test worker, so its errors
    // may come from another test file's realm and fail `instanceof Error`.
    const refused = { message: expect.stringMatching(/append-only/) };
    await expect(storage.db.updateTable('audit_log').set({ action: 'login' }).execute()).rejects.toMatchObject(refused);
    await expect(storage.db.deleteFrom('audit_log').execute()).rejects.toMatchObject(refused);
  });

  it('feedback: a second vote on the same answer replaces the first', async () => {
    const feedback = new FeedbackRepository(storage);
    await feedback.record('c1', 'what-is-kap', true);
    await feedback.record('c1', 'what-is-kap', false);
    await feedback.record('c2', 'what-is-kap', true);
    expect(await feedback.summary()).toEqual([{ entryId: 'what-is-kap', helpful: 1, unhelpful: 1 }]);
  });

  it('corpus store: revisions numbered per entry, pointers moved by compare-and-set, states in id order', async () => {
    const corpus = new CorpusStore(storage);
    const at = '2026-11-29T10:00:00.000Z';
    for (const entryId of ['b-entry', 'a_entry', 'a-entry']) {
      await corpus.transaction(async (trx) => {
        const r = await corpus.addRevision(trx, { locale: 'en', entryId, parent: null, kind: 'baseline', content: null, source: null, authorId: null, at });
        await corpus.insertState(trx, { locale: 'en', entryId, head: r.id, live: null, baseline: r.id, baselineHash: null }, at);
      });
    }
    expect((await corpus.states()).map((s) => s.entryId)).toEqual(['a-entry', 'a_entry', 'b-entry']);
    const state = (await corpus.state('en', 'a-entry'))!;
    const second = await corpus.addRevision(storage.db, {
      locale: 'en',
      entryId: 'a-entry',
      parent: (await corpus.revision(state.head))!,
      kind: 'edit',
      content: null,
      source: null,
      authorId: 'editor',
      at,
    });
    expect(second.number).toBe(2);
    expect(await corpus.moveEntry(storage.db, 'en', 'a-entry', state.head, { head: second.id }, at)).toBe(true);
    expect(await corpus.moveEntry(storage.db, 'en', 'a-entry', state.head, { head: second.id }, at)).toBe(false);
    expect((await corpus.history('en', 'a-entry')).map((r) => r.number)).toEqual([2, 1]);
    expect([...(await corpus.revisionsByIds([second.id, state.head])).keys()].sort()).toEqual([state.head, second.id].sort());
  });

  it('test questions and triage items: ids come back from inserts', async () => {
    const questions = new TestQuestions(storage);
    const q = await questions.add('en', 'what-is-kap', 'what is kap?', 'editor');
    expect(q.id).toEqual(expect.any(Number));
    expect((await questions.all('en', 'what-is-kap')).map((x) => x.text)).toEqual(['what is kap?']);
    expect(await questions.remove('en', 'what-is-kap', q.id)).toBe(true);

    await storage.db
      .insertInto('triage_items')
      .values({
        at: '2026-11-29T10:00:00.000Z',
        locale: 'en',
        kind: 'unanswered',
        text: 'can my dog come',
        entry_id: null,
        runner_up_id: null,
        reason: 'below-threshold',
        candidates: '[]',
        status: 'open',
        resolution: null,
        resolved_entry: null,
        resolved_at: null,
        resolved_by: null,
      })
      .execute();
    const triage = new TriageRepository(storage);
    const [item] = await triage.open('en');
    expect(item).toMatchObject({ text: 'can my dog come', candidates: [] });
    expect(await triage.resolve([item.id], 'dismissed', null, 'editor')).toBe(1);
    expect(await triage.resolve([item.id], 'dismissed', null, 'editor')).toBe(0);
  });
});
