import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AppConfig } from '../config/app-config.js';
import { StorageService } from '../storage/storage.service.js';
import { RetentionService } from './retention.service.js';
import { storeCases } from '../../test/support/postgres.js';

describe.each(storeCases)('RetentionService (real $name)', (store) => {
  let storage: StorageService;
  let retention: RetentionService;
  const values: Record<string, unknown> = { DATA_DIR: mkdtempSync(path.join(tmpdir(), 'kap-retention-')), RETENTION_DAYS: 30 };
  const config = { get: (key: string) => values[key] } as unknown as AppConfig;

  beforeAll(async () => {
    Object.assign(values, await store.config());
    storage = new StorageService(config);
    await storage.migrate();
    retention = new RetentionService(storage, config);
  });
  afterAll(() => storage.onApplicationShutdown());

  const flag = (id: string, status: 'open' | 'resolved', resolvedAt: string | null) => ({
    id,
    conversation_id: `c-${id}`,
    locale: 'en',
    level: 'crisis',
    kind: 'disclosure',
    reasons: '[]',
    status,
    created_at: '2026-01-01T00:00:00.000Z',
    updated_at: '2026-01-01T00:00:00.000Z',
    acknowledged_at: null,
    acknowledged_by: null,
    resolved_at: resolvedAt,
    resolved_by: null,
    resolution_note: null,
    escalated_at: null,
    visitor_contact: null,
  });
  const turn = (conversation: string, seq: number, flagged: number, at: string) => ({
    conversation_id: conversation,
    seq,
    role: 'visitor',
    text: 'hi',
    at,
    meta: '{}',
    flagged,
  });

  it('purges old resolved flags and their transcripts, never open ones', async () => {
    await storage.db
      .insertInto('flags')
      .values([
        flag('old', 'resolved', '2026-01-02T00:00:00.000Z'),
        flag('recent', 'resolved', '2026-03-25T00:00:00.000Z'),
        flag('open', 'open', null),
      ])
      .execute();
    await storage.db
      .insertInto('transcript_turns')
      .values([
        turn('c-old', 1, 1, '2026-01-01T00:00:00.000Z'),
        turn('c-open', 1, 1, '2026-01-01T00:00:00.000Z'),
        turn('plain', 1, 0, '2026-01-01T00:00:00.000Z'),
      ])
      .execute();

    const result = await retention.purge(new Date('2026-04-01T00:00:00.000Z'));
    expect(result).toMatchObject({ flags: 1, turns: 2 });
    const flags = await storage.db.selectFrom('flags').select('id').orderBy('id').execute();
    expect(flags.map((f) => f.id)).toEqual(['open', 'recent']);
    const turns = await storage.db.selectFrom('transcript_turns').select('conversation_id').execute();
    expect(turns.map((t) => t.conversation_id)).toEqual(['c-open']);
  });

  it('purges triage questions older than the retention period, open or dealt with, and keeps the counts', async () => {
    const item = (at: string, status: 'open' | 'resolved') => ({
      at,
      locale: 'en',
      kind: 'unanswered' as const,
      text: 'can my dog come',
      entry_id: null,
      runner_up_id: null,
      reason: 'below-threshold',
      candidates: '[]',
      status,
      resolution: null,
      resolved_entry: null,
      resolved_at: null,
      resolved_by: null,
    });
    await storage.db
      .insertInto('triage_items')
      .values([
        item('2026-01-01T00:00:00.000Z', 'open'),
        item('2026-01-02T00:00:00.000Z', 'resolved'),
        item('2026-03-30T00:00:00.000Z', 'open'),
      ])
      .execute();
    await storage.db
      .insertInto('daily_counts')
      .values({ day: '2026-01-01', locale: 'en', metric: 'risk', key: 'none', count: 3 })
      .execute();
    const result = await retention.purge(new Date('2026-04-01T00:00:00.000Z'));
    expect(result.triage).toBe(2);
    const left = await storage.db.selectFrom('triage_items').select('at').execute();
    expect(left.map((r) => r.at)).toEqual(['2026-03-30T00:00:00.000Z']);
    expect(await storage.db.selectFrom('daily_counts').select('count').execute()).toEqual([{ count: 3 }]);
  });
});
