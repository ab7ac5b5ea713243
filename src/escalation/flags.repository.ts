import { Inject, Injectable } from '@nestjs/common';
import type { Kysely, Transaction } from 'kysely';
import type { Database, FlagTable } from '../storage/schema.js';
import { StorageService } from '../storage/storage.service.js';

export type FlagRow = FlagTable;
type Db = Kysely<Database> | Transaction<Database>;

/** Flags. Plain Kysely queries that run on SQLite and PostgreSQL alike. */
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
      .executeTakeFirst();
  }

  async get(id: string, db: Db = this.db): Promise<FlagRow | undefined> {
    return db.selectFrom('flags').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async unresolved(): Promise<FlagRow[]> {
    return this.db.selectFrom('flags').selectAll().where('status', '!=', 'resolved').orderBy('created_at', 'asc').execute();
  }

  /** Open and acknowledged flags (metrics). */
  async countUnresolved(): Promise<number> {
    const row = await this.db
      .selectFrom('flags')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '!=', 'resolved')
      .executeTakeFirst();
    return Number(row?.n ?? 0);
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

  /**
   * Inserts a flag; false when the conversation already has an open one (the database allows one open
   * flag per conversation, whichever process raised it).
   */
  async insertIfNone(db: Db, flag: FlagRow): Promise<boolean> {
    // No conflict target: any unique index (the id, or one open flag per conversation) makes it a no-op.
    const result = await db
      .insertInto('flags')
      .values(flag)
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  async update(id: string, patch: Partial<FlagRow>, db: Db = this.db): Promise<void> {
    await db.updateTable('flags').set(patch).where('id', '=', id).execute();
  }
}
