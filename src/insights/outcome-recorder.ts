import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { LiveEvents, type FeedbackGiven, type MessageOutcome } from '../events/live-events.js';
import type { TriageItemTable } from '../storage/schema.js';
import { StorageService } from '../storage/storage.service.js';
import { triageText } from './triage-text.js';

/** An answer whose lead over the runner-up is below this was won by a thin margin. */
export const THIN_MARGIN = 0.05;
const FLUSH_MS = 5_000;
/** While the store cannot be written, at most this many triage items wait in memory (the oldest go first). */
const MAX_PENDING_ITEMS = 5_000;

type NewItem = Omit<TriageItemTable, 'id'>;

/**
 * Counts what visitors get, per day and without identifiers (risk levels, crisis replies, answers per
 * entry, fallbacks, thin margins), and queues content work for editors. A visitor's words are kept
 * only with TRIAGE_STORE_TEXT, only for messages the safety screen called `none` in conversations that
 * were never flagged, redacted and cut to 300 characters. Writes are batched (every 5 s, and when a
 * report is read or the app stops) so that no message waits on the store for this.
 */
@Injectable()
export class OutcomeRecorder implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(OutcomeRecorder.name);
  private counts = new Map<string, number>();
  private items: NewItem[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private readonly keepText: boolean;

  constructor(
    @Inject(LiveEvents) events: LiveEvents,
    @Inject(StorageService) private readonly storage: StorageService,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.keepText = config.get('TRIAGE_STORE_TEXT');
    events.on('chat:outcome', (o) => this.safely(() => this.outcome(o)));
    events.on('chat:feedback', (f) => this.safely(() => this.feedback(f)));
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.flush(), FLUSH_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }

  /** Writes what is pending (called before every report, so reports are up to date). */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.write());
    return this.flushing;
  }

  private safely(work: () => void): void {
    try {
      work();
    } catch (err) {
      this.logger.error(`recording an outcome failed: ${(err as Error).message}`);
    }
  }

  private count(at: string, locale: string, metric: string, key: string): void {
    const k = JSON.stringify([at.slice(0, 10), locale, metric, key]);
    this.counts.set(k, (this.counts.get(k) ?? 0) + 1);
  }

  private outcome(o: MessageOutcome): void {
    this.count(o.at, o.locale, 'risk', o.level);
    this.count(o.at, o.locale, 'reply', o.reply);
    if (o.level === 'crisis') this.count(o.at, o.locale, 'crisis', o.crisisKind ?? 'disclosure');
    if (o.newlyFlagged) this.count(o.at, o.locale, 'flag', o.crisisKind ?? 'disclosure');
    if (o.reply === 'answer' && o.entryId) this.count(o.at, o.locale, 'answer', o.entryId);
    if (o.reply === 'fallback') this.count(o.at, o.locale, 'fallback', o.matchReason ?? 'unknown');
    const [best, second] = o.candidates;
    const thin = o.reply === 'answer' && best && second && best.score - second.score < THIN_MARGIN;
    if (thin) this.count(o.at, o.locale, 'thin', `${best.id}>${second.id}`);

    if (!this.keepsTextOf(o.level, o.flagged)) return;
    const base = {
      at: o.at,
      locale: o.locale,
      text: triageText(o.text),
      candidates: JSON.stringify(o.candidates),
      status: 'open' as const,
    };
    const unresolved = { resolution: null, resolved_entry: null, resolved_at: null, resolved_by: null };
    if (o.reply === 'fallback') {
      this.items.push({ ...base, ...unresolved, kind: 'unanswered', entry_id: null, runner_up_id: null, reason: o.matchReason });
    } else if (thin) {
      this.items.push({ ...base, ...unresolved, kind: 'thin-margin', entry_id: best.id, runner_up_id: second.id, reason: null });
    }
  }

  private feedback(f: FeedbackGiven): void {
    if (f.helpful || !f.question || !this.keepsTextOf(f.question.level, f.flagged)) return;
    this.items.push({
      at: f.at,
      locale: f.locale,
      kind: 'unhelpful',
      text: triageText(f.question.text),
      entry_id: f.entryId,
      runner_up_id: null,
      reason: null,
      candidates: '[]',
      status: 'open',
      resolution: null,
      resolved_entry: null,
      resolved_at: null,
      resolved_by: null,
    });
  }

  /** Text only under the setting, only what the screen called `none`, never from a flagged conversation. */
  private keepsTextOf(level: string | null, flagged: boolean): boolean {
    return this.keepText && level === 'none' && !flagged;
  }

  private async write(): Promise<void> {
    if (this.counts.size === 0 && this.items.length === 0) return;
    const counts = this.counts;
    const items = this.items;
    this.counts = new Map();
    this.items = [];
    try {
      await this.storage.db.transaction().execute(async (trx) => {
        // In key order, so that instances writing the same counts at once never deadlock on PostgreSQL.
        for (const [k, n] of [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
          const [day, locale, metric, key] = JSON.parse(k) as string[];
          await trx
            .insertInto('daily_counts')
            .values({ day, locale, metric, key, count: n })
            .onConflict((oc) =>
              oc.columns(['day', 'locale', 'metric', 'key']).doUpdateSet((eb) => ({ count: eb('daily_counts.count', '+', n) })),
            )
            .execute();
        }
        if (items.length) await trx.insertInto('triage_items').values(items).execute();
      });
    } catch (err) {
      // Counts are not worth failing anything for; they are kept for the next try.
      for (const [k, n] of counts) this.counts.set(k, (this.counts.get(k) ?? 0) + n);
      this.items = [...items, ...this.items].slice(-MAX_PENDING_ITEMS);
      this.logger.error(`content analytics not written (kept for the next try): ${(err as Error).message}`);
    }
  }
}
