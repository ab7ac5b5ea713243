import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { Cluster } from '../cluster/cluster.js';
import { AppConfig } from '../config/app-config.js';
import { EscalationService } from './escalation.service.js';
import { LiveEvents } from '../events/live-events.js';
import { OutboxRepository, type OutboxRow } from './outbox.repository.js';
import { PagingStatus } from './paging-status.js';
import { WebhookDelivery } from './webhook-delivery.js';

/** A page of more flags than this from one address says it may be a flood. */
const FLOOD_SIZE = 3;
/** Pages delivered at the same time (different flags; one page is never sent twice at once). */
const CONCURRENCY = 4;

/**
 * Delivers pages, every OUTBOX_POLL_MS and right after a new flag. Delivery is at least once: a page is
 * retried with exponential backoff (with jitter) until a 2xx or its give-up time (PAGING_GIVE_UP_HOURS),
 * across restarts, and carries an idempotency key so receivers can drop repeats. Each pass claims its pages
 * with a lease, so no two workers (threads or instances) send the same page at once.
 *
 * Pages go out most severe first, then oldest. New-flag pages from one address are paged at most once
 * per PAGING_FOLD_SECONDS: what arrives meanwhile waits and goes out as one page that lists every flag
 * id (and says it may be a flood when there are many). A burst therefore never holds a real flag's page
 * up, and never floods the on-call phone; consoles still show every flag at once. With several instances
 * each works the outbox (claims never overlap), and an address's fold window is also reserved in Redis
 * before its page goes out, so two instances never page one address twice within the window.
 */
@Injectable()
export class OutboxWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(OutboxWorker.name);
  private readonly owner = randomUUID();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  /** One new-flag page per address and target per PAGING_FOLD_SECONDS, whichever instance sends it. */
  private readonly fold: RateLimiterAbstract;

  constructor(
    @Inject(OutboxRepository) private readonly outbox: OutboxRepository,
    @Inject(WebhookDelivery) private readonly delivery: WebhookDelivery,
    @Inject(EscalationService) private readonly escalation: EscalationService,
    @Inject(PagingStatus) private readonly status: PagingStatus,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(LiveEvents) events: LiveEvents,
    @Inject(Cluster) private readonly cluster: Cluster,
  ) {
    this.fold = cluster.limiter({ keyPrefix: 'fold', points: 1, duration: config.get('PAGING_FOLD_SECONDS') });
    // A new flag's page goes out at once, not at the next poll.
    events.on('flag:new', () => void this.tick());
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), this.config.get('OUTBOX_POLL_MS'));
    this.timer.unref();
    void this.tick();
  }

  /** Stops before the database closes, and lets a pass in progress finish. */
  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One pass; a call during a pass schedules one more pass right after it. */
  tick(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.pass().finally(() => {
      this.running = null;
      if (this.again && this.timer) {
        this.again = false;
        void this.tick();
      }
    });
    return this.running;
  }

  private async pass(): Promise<void> {
    await this.deliverFromMemory();
    try {
      await this.escalation.escalateOverdue();
      const leaseMs = this.config.get('WEBHOOK_TIMEOUT_MS') * 2 + 5_000;
      const items = await this.outbox.claimDue(this.owner, new Date(), leaseMs);
      const ready = await this.holdRecentlyPaged(this.batches(items));
      await inBatches(ready, CONCURRENCY, (batch) => this.deliver(batch));
    } catch (err) {
      this.logger.error(`outbox pass failed: ${(err as Error).message}`);
    }
  }

  /** New-flag pages from one address are folded into one; every other page goes alone. */
  private batches(items: OutboxRow[]): OutboxRow[][] {
    const folded = new Map<string, OutboxRow[]>();
    const batches: OutboxRow[][] = [];
    for (const item of items) {
      if (item.event !== 'flag.new' || !item.source_key) {
        batches.push([item]);
        continue;
      }
      const key = `${item.target}:${item.source_key}`;
      const batch = folded.get(key);
      if (batch) batch.push(item);
      else {
        const fresh = [item];
        folded.set(key, fresh);
        batches.push(fresh);
      }
    }
    return batches;
  }

  /** Holds back the new-flag pages of an address paged within the fold window; returns the rest. */
  private async holdRecentlyPaged(batches: OutboxRow[][]): Promise<OutboxRow[][]> {
    const windowMs = this.config.get('PAGING_FOLD_SECONDS') * 1000;
    const sources = batches.filter((b) => b[0].event === 'flag.new' && b[0].source_key).map((b) => b[0].source_key as string);
    const lastPaged = await this.outbox.lastPagedAt(sources);
    const ready: OutboxRow[][] = [];
    for (const batch of batches) {
      const last = batch[0].event === 'flag.new' && batch[0].source_key ? lastPaged.get(batch[0].source_key) : undefined;
      const openAt = last ? Date.parse(last) + windowMs : 0;
      const reservedUntil = openAt > Date.now() ? 0 : await this.reserveFold(batch[0]);
      if (openAt > Date.now() || reservedUntil > 0)
        await this.outbox.holdUntil(
          batch.map((b) => b.id),
          new Date(Math.max(openAt, reservedUntil)),
        );
      else ready.push(batch);
    }
    return ready;
  }

  /** Reserves the address's fold window for this page; 0 when reserved, else when the window ends. */
  private async reserveFold(item: OutboxRow): Promise<number> {
    // One process: the store's record of the last page already keeps the window (as it always did).
    if (!this.cluster.shared || item.event !== 'flag.new' || !item.source_key) return 0;
    try {
      await this.fold.consume(foldKey(item));
      return 0;
    } catch (res) {
      // Only a refusal holds the page back: a limiter that fails never stops paging.
      return res instanceof RateLimiterRes ? Date.now() + res.msBeforeNext : 0;
    }
  }

  private async deliver(batch: OutboxRow[]): Promise<void> {
    const [first] = batch;
    const body = batch.length === 1 ? first.payload : foldedPayload(batch);
    const key = batch.length === 1 ? first.idempotency_key : `${first.idempotency_key}:folded:${batch.length}`;
    const result = await this.delivery.send({ ...first, payload: body, idempotency_key: key });
    const ids = batch.map((b) => b.id);
    if (result.ok) {
      this.status.recordSuccess();
      await this.outbox.delivered(ids);
      this.logger.log(
        `Delivered ${first.event} for ${batch.length === 1 ? `flag ${first.flag_id}` : `${batch.length} flags`} (attempt ${first.attempts + 1})`,
      );
      await this.pagingChanged(batch.map((b) => b.flag_id));
      return;
    }
    this.status.recordFailure(result.error);
    // Not sent: the address's window stays open for the retry.
    if (this.cluster.shared && first.event === 'flag.new' && first.source_key) await this.fold.delete(foldKey(first)).catch(() => undefined);
    for (const item of batch) {
      const attempts = item.attempts + 1;
      if (item.give_up_at && item.give_up_at <= new Date().toISOString()) {
        await this.outbox.failed(item.id, attempts, result.error);
        this.logger.error(
          `PAGING FAILED for flag ${item.flag_id} after ${attempts} attempts (${result.error}): it stays at the top of every console`,
        );
        await this.pagingChanged([item.flag_id]);
      } else {
        this.logger.warn(`Page ${item.event} for flag ${item.flag_id} failed (attempt ${attempts}: ${result.error}); retrying`);
        await this.outbox.retryLater(item.id, attempts, new Date(Date.now() + this.backoff(attempts)), result.error);
        // From "sending" to "retrying": consoles show it (later retries change nothing they show).
        if (attempts === 1) await this.pagingChanged([item.flag_id]);
      }
    }
  }

  /** Tells consoles that these flags' paging state changed (delivered, retrying, failed). */
  private async pagingChanged(flagIds: string[]): Promise<void> {
    for (const flagId of new Set(flagIds)) {
      await this.escalation.view(flagId).then(
        (view) => this.escalation.notifyUpdated(view),
        () => undefined,
      );
    }
  }

  /** Pages of flags the store could not take yet. */
  private async deliverFromMemory(): Promise<void> {
    const now = Date.now();
    for (const page of [...this.escalation.memoryPages.values()].filter((p) => p.nextAttemptAt <= now)) {
      const result = await this.delivery.send({
        id: page.key,
        idempotency_key: page.key,
        flag_id: page.flagId,
        target: page.target,
        event: page.event,
        payload: JSON.stringify(page.payload),
      });
      if (result.ok) {
        this.status.recordSuccess();
        this.escalation.memoryPageDelivered(page.key);
        await this.pagingChanged([page.flagId]);
      } else {
        this.status.recordFailure(result.error);
        page.attempts++;
        page.nextAttemptAt = Date.now() + this.backoff(page.attempts);
      }
    }
  }

  /** base x 2^(attempts-1), capped, with +-20% jitter so many nodes do not retry in step. */
  private backoff(attempts: number): number {
    const base = this.config.get('WEBHOOK_RETRY_BASE_MS');
    const capped = Math.min(this.config.get('WEBHOOK_RETRY_MAX_MS'), base * 2 ** Math.min(attempts - 1, 30));
    return Math.round(capped * (0.8 + Math.random() * 0.4));
  }
}

function foldKey(item: OutboxRow): string {
  return `${item.target}:${item.source_key}`;
}

/** One page for several flags from one address: every id, and a warning when it may be a flood. */
function foldedPayload(batch: OutboxRow[]): string {
  const pages = batch.map((b) => JSON.parse(b.payload) as { kind: string; summary: string; consoleUrl: string | null });
  const flagIds = batch.map((b) => b.flag_id);
  const kinds = [...new Set(pages.map((p) => p.kind))];
  const flood =
    batch.length > FLOOD_SIZE ? ' This may be a flood of automated messages from one address; every flag is in the console.' : '';
  const summary = `${batch.length} crisis flags from one address (${kinds.join(', ')}).${flood}`;
  const link = pages[0].consoleUrl;
  return JSON.stringify({
    event: 'flag.new',
    id: flagIds[0],
    flagIds,
    level: 'crisis',
    kind: kinds.includes('imminent') ? 'imminent' : kinds[0],
    possibleFlood: batch.length > FLOOD_SIZE,
    consoleUrl: link,
    summary,
    text: link ? `${summary} Open the on-call console: ${link}` : `${summary} Open the on-call console.`,
  });
}

async function inBatches<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(workers);
}
