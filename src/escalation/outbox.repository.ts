import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Kysely, Transaction } from 'kysely';
import type { Database, OutboxTable } from '../storage/schema.js';
import { StorageService } from '../storage/storage.service.js';

export type OutboxRow = OutboxTable;

/** The durable outbox of notifications: written with the flag, delivered until a 2xx. */
@Injectable()
export class OutboxRepository {
  constructor(@Inject(StorageService) private readonly storage: StorageService) {}

  /** Queues a notification once: a second call with the same key is ignored. */
  async enqueue(
    db: Kysely<Database> | Transaction<Database>,
    item: { key: string; flagId: string; target: OutboxRow['target']; event: string; payload: object },
  ): Promise<void> {
    const now = new Date().toISOString();
    await db
      .insertInto('outbox')
      .values({
        id: randomUUID(),
        idempotency_key: item.key,
        flag_id: item.flagId,
        target: item.target,
        event: item.event,
        payload: JSON.stringify(item.payload),
        status: 'pending',
        attempts: 0,
        next_attempt_at: now,
        last_error: null,
        created_at: now,
        delivered_at: null,
      })
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .execute();
  }

  async due(now: string, limit = 20): Promise<OutboxRow[]> {
    return this.storage.db
      .selectFrom('outbox')
      .selectAll()
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .orderBy('next_attempt_at', 'asc')
      .limit(limit)
      .execute();
  }

  async delivered(id: string): Promise<void> {
    await this.storage.db
      .updateTable('outbox')
      .set({ status: 'delivered', delivered_at: new Date().toISOString(), last_error: null })
      .where('id', '=', id)
      .execute();
  }

  async retryLater(id: string, attempts: number, next: Date, error: string): Promise<void> {
    await this.storage.db
      .updateTable('outbox')
      .set({ attempts, next_attempt_at: next.toISOString(), last_error: error.slice(0, 500) })
      .where('id', '=', id)
      .execute();
  }

  async all(): Promise<OutboxRow[]> {
    return this.storage.db.selectFrom('outbox').selectAll().orderBy('created_at', 'asc').execute();
  }
}
