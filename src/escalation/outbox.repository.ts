import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Kysely, Transaction } from 'kysely';
import type { Database, OutboxTable } from '../storage/schema.js';
import { StorageService } from '../storage/storage.service.js';

export type OutboxRow = Omit<OutboxTable, 'priority'> & { priority: number };

export interface OutboxItem {
  key: string;
  flagId: string;
  target: OutboxRow['target'];
  event: string;
  payload: object;
  priority: number;
  sourceKey: string | null;
  giveUpAt: string;
}

/** The durable outbox of notifications: written with the flag, delivered until a 2xx or its give-up time. */
@Injectable()
export class OutboxRepository {
  constructor(@Inject(StorageService) private readonly storage: StorageService) {}

  /** Queues a notification once: a second call with the same key is ignored. */
  async enqueue(
    db: Kysely<Database> | Transaction<Database>,
    item: OutboxItem,
    status: OutboxRow['status'] = 'pending',
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
        status,
        attempts: 0,
        next_attempt_at: now,
        last_error: null,
        created_at: now,
        delivered_at: status === 'delivered' ? now : null,
        lease_until: null,
        lease_owner: null,
        priority: item.priority,
        source_key: item.sourceKey,
        give_up_at: item.giveUpAt,
      })
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .execute();
  }

  /**
   * Claims due items for one worker: each is leased to `owner` until `leaseUntil`, so no other worker (in
   * this process or another instance) delivers it meanwhile. The claim is one conditional UPDATE, which
   * both SQLite and PostgreSQL apply atomically per row; on PostgreSQL the candidates are also read
   * `FOR UPDATE SKIP LOCKED` in the claim's transaction, so instances claiming at the same moment take
   * different rows instead of waiting on each other. Most severe first, then oldest; at most `perSource`
   * items of one source (a burst from one address) besides the others, so a flood never holds a real flag up.
   */
  async claimDue(owner: string, now: Date, leaseMs: number, limit = 50, perSource = 200): Promise<OutboxRow[]> {
    if (this.storage.dialect === 'postgres')
      return this.storage.db.transaction().execute((trx) => this.claim(trx, true, owner, now, leaseMs, limit, perSource));
    return this.claim(this.storage.db, false, owner, now, leaseMs, limit, perSource);
  }

  private async claim(
    db: Kysely<Database> | Transaction<Database>,
    skipLocked: boolean,
    owner: string,
    now: Date,
    leaseMs: number,
    limit: number,
    perSource: number,
  ): Promise<OutboxRow[]> {
    const nowIso = now.toISOString();
    const due = db
      .selectFrom('outbox')
      .select(['id', 'source_key'])
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', nowIso)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', nowIso)]))
      .orderBy('priority', 'desc')
      .orderBy('created_at', 'asc')
      .limit(limit * perSource);
    const candidates = await (skipLocked ? due.forUpdate().skipLocked() : due).execute();
    // Keep every source's items (up to perSource), and at most `limit` sources.
    const bySource = new Map<string, string[]>();
    for (const c of candidates) {
      const key = c.source_key ?? c.id;
      const list = bySource.get(key) ?? (bySource.size < limit ? [] : null);
      if (!list || list.length >= perSource) continue;
      list.push(c.id);
      bySource.set(key, list);
    }
    const ids = [...bySource.values()].flat();
    if (ids.length === 0) return [];
    const leaseUntil = new Date(now.getTime() + leaseMs).toISOString();
    await db
      .updateTable('outbox')
      .set({ lease_owner: owner, lease_until: leaseUntil })
      .where('id', 'in', ids)
      .where('status', '=', 'pending')
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', nowIso)]))
      .execute();
    const rows = await db
      .selectFrom('outbox')
      .selectAll()
      .where('id', 'in', ids)
      .where('lease_owner', '=', owner)
      .where('lease_until', '=', leaseUntil)
      .orderBy('priority', 'desc')
      .orderBy('created_at', 'asc')
      .execute();
    return rows as OutboxRow[];
  }

  /** When each source (address key) last had a new-flag page delivered. */
  async lastPagedAt(sourceKeys: string[]): Promise<Map<string, string>> {
    if (sourceKeys.length === 0) return new Map();
    const rows = await this.storage.db
      .selectFrom('outbox')
      .select(['source_key', (eb) => eb.fn.max('delivered_at').as('at')])
      .where('status', '=', 'delivered')
      .where('event', '=', 'flag.new')
      .where('source_key', 'in', sourceKeys)
      .groupBy('source_key')
      .execute();
    return new Map(rows.filter((r) => r.source_key && r.at).map((r) => [r.source_key as string, r.at as string]));
  }

  /** Puts claimed items back, untouched, until `next` (a burst waiting for its folded page). */
  async holdUntil(ids: string[], next: Date): Promise<void> {
    if (ids.length === 0) return;
    await this.storage.db
      .updateTable('outbox')
      .set({ next_attempt_at: next.toISOString(), lease_until: null, lease_owner: null })
      .where('id', 'in', ids)
      .execute();
  }

  async delivered(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.storage.db
      .updateTable('outbox')
      .set({
        status: 'delivered',
        delivered_at: new Date().toISOString(),
        last_error: null,
        lease_until: null,
        lease_owner: null,
      })
      .where('id', 'in', ids)
      .execute();
  }

  async deliveredByKey(key: string): Promise<void> {
    await this.storage.db
      .updateTable('outbox')
      .set({ status: 'delivered', delivered_at: new Date().toISOString(), last_error: null })
      .where('idempotency_key', '=', key)
      .execute();
  }

  async retryLater(id: string, attempts: number, next: Date, error: string): Promise<void> {
    await this.storage.db
      .updateTable('outbox')
      .set({
        attempts,
        next_attempt_at: next.toISOString(),
        last_error: error.slice(0, 500),
        lease_until: null,
        lease_owner: null,
      })
      .where('id', '=', id)
      .execute();
  }

  async failed(id: string, attempts: number, error: string): Promise<void> {
    await this.storage.db
      .updateTable('outbox')
      .set({ status: 'failed', attempts, last_error: error.slice(0, 500), lease_until: null, lease_owner: null })
      .where('id', '=', id)
      .execute();
  }

  /** Each flag's pages, for its paging state. */
  async forFlags(flagIds: string[]): Promise<OutboxRow[]> {
    if (flagIds.length === 0) return [];
    return (await this.storage.db.selectFrom('outbox').selectAll().where('flag_id', 'in', flagIds).execute()) as OutboxRow[];
  }

  async counts(): Promise<{ pending: number; failed: number }> {
    const rows = await this.storage.db
      .selectFrom('outbox')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('status', 'in', ['pending', 'failed'])
      .groupBy('status')
      .execute();
    const n = (status: string) => Number(rows.find((r) => r.status === status)?.n ?? 0);
    return { pending: n('pending'), failed: n('failed') };
  }

  async all(): Promise<OutboxRow[]> {
    return (await this.storage.db.selectFrom('outbox').selectAll().orderBy('created_at', 'asc').execute()) as OutboxRow[];
  }
}
