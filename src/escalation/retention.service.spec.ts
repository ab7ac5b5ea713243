import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AppConfig } from '../config/app-config.js';
import { StorageService } from '../storage/storage.service.js';
import { RetentionService } from './retention.service.js';

describe('RetentionService (real SQLite)', () => {
  let storage: StorageService;
  let retention: RetentionService;
  const config = {
    get: (key: string) => ({ DATA_DIR: mkdtempSync(path.join(tmpdir(), 'kap-retention-')), RETENTION_DAYS: 30 })[key],
  } as unknown as AppConfig;

  beforeAll(async () => {
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
});
