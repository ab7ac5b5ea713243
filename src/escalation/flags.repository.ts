import { Inject, Injectable } from '@nestjs/common';
import type { Kysely, Transaction } from 'kysely';
import type { Turn } from '../chat/conversation-store.js';
import type { Database, FlagTable } from '../storage/schema.js';
import { StorageService } from '../storage/storage.service.js';

export type FlagRow = FlagTable;
export type StoredTurn = Pick<Turn, 'seq' | 'role' | 'text' | 'at' | 'type' | 'entryId' | 'risk'>;
type Db = Kysely<Database> | Transaction<Database>;

/** Flags and stored transcripts. Plain Kysely queries that run on SQLite and PostgreSQL alike. */
@Injectable()
export class FlagsRepository {
  constructor(@Inject(StorageService) private readonly storage: StorageService) {}

  get db(): Kysely<Database> {
    return this.storage.db;
  }

  async openFlagFor(conversationId: string): Promise<FlagRow | undefined> {
    return this.db
      .selectFrom('flags')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .where('status', '!=', 'resolved')
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
  }

  async latestFlagFor(conversationId: string): Promise<FlagRow | undefined> {
    return this.db
      .selectFrom('flags')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
  }

  async get(id: string): Promise<FlagRow | undefined> {
    return this.db.selectFrom('flags').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async unresolved(): Promise<FlagRow[]> {
    return this.db.selectFrom('flags').selectAll().where('status', '!=', 'resolved').orderBy('created_at', 'asc').execute();
  }

  async dueForEscalation(createdBefore: string): Promise<FlagRow[]> {
    return this.db
      .selectFrom('flags')
      .selectAll()
      .where('status', '=', 'open')
      .where('escalated_at', 'is', null)
      .where('created_at', '<=', createdBefore)
      .execute();
  }

  async insert(db: Db, flag: FlagRow): Promise<void> {
    await db.insertInto('flags').values(flag).execute();
  }

  async update(id: string, patch: Partial<FlagRow>, db: Db = this.db): Promise<void> {
    await db.updateTable('flags').set(patch).where('id', '=', id).execute();
  }

  /** Stores turns; a turn already stored (same conversation and position) is left as it is. */
  async storeTurns(
    db: Db,
    conversationId: string,
    turns: StoredTurn[],
    flagged: boolean,
    redact: (s: string) => string = (s) => s,
  ): Promise<void> {
    if (turns.length === 0) return;
    await db
      .insertInto('transcript_turns')
      .values(
        turns.map((t) => ({
          conversation_id: conversationId,
          seq: t.seq,
          role: t.role,
          text: redact(t.text),
          at: t.at,
          meta: JSON.stringify({ type: t.type, entryId: t.entryId, risk: t.risk }),
          flagged: flagged ? 1 : 0,
        })),
      )
      .onConflict((oc) => oc.columns(['conversation_id', 'seq']).doNothing())
      .execute();
  }

  /** When a conversation is flagged, its earlier (redacted) turns are replaced by the full ones. */
  async replaceTurns(db: Db, conversationId: string, turns: StoredTurn[]): Promise<void> {
    await db.deleteFrom('transcript_turns').where('conversation_id', '=', conversationId).execute();
    await this.storeTurns(db, conversationId, turns, true);
  }

  async turns(conversationId: string): Promise<StoredTurn[]> {
    const rows = await this.db
      .selectFrom('transcript_turns')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .orderBy('seq', 'asc')
      .execute();
    return rows.map((r) => {
      const meta = JSON.parse(r.meta) as Pick<Turn, 'type' | 'entryId' | 'risk'>;
      return { seq: r.seq, role: r.role as Turn['role'], text: r.text, at: r.at, ...meta };
    });
  }
}
