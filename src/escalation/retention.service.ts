import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { StorageService } from '../storage/storage.service.js';

const HOUR = 3_600_000;

/**
 * Deletes what is older than RETENTION_DAYS: resolved flags and their transcripts, transcripts stored
 * by configuration, delivered pages, feedback votes, visitor questions kept for content triage (open or
 * dealt with) and expired sign-in sessions. Open and acknowledged flags are never purged. The audit log
 * is kept (it is append-only by design), and so are the daily counts (they identify nobody).
 */
@Injectable()
export class RetentionService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(RetentionService.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    @Inject(StorageService) private readonly storage: StorageService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const run = () => (this.running = this.purge().catch((err) => this.logger.error(err)));
    this.timer = setInterval(run, HOUR);
    this.timer.unref();
    run();
  }

  /** Stops before the database closes, and lets a purge in progress finish. */
  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  async purge(
    now = new Date(),
  ): Promise<{ flags: number; turns: number; pages: number; feedback: number; triage: number; sessions: number }> {
    const cutoff = new Date(now.getTime() - this.config.get('RETENTION_DAYS') * 24 * HOUR).toISOString();
    const db = this.storage.db;
    return db.transaction().execute(async (trx) => {
      const oldFlags = await trx
        .selectFrom('flags')
        .select(['id', 'conversation_id'])
        .where('status', '=', 'resolved')
        .where('resolved_at', '<', cutoff)
        .execute();
      const conversations = oldFlags.map((f) => f.conversation_id);
      // A conversation that still has an unresolved flag keeps its transcript.
      const stillOpen = conversations.length
        ? (
            await trx
              .selectFrom('flags')
              .select('conversation_id')
              .where('conversation_id', 'in', conversations)
              .where('status', '!=', 'resolved')
              .execute()
          ).map((r) => r.conversation_id)
        : [];
      const purgeable = conversations.filter((c) => !stillOpen.includes(c));
      let turns = 0;
      if (purgeable.length)
        turns += Number(
          (await trx.deleteFrom('transcript_turns').where('conversation_id', 'in', purgeable).executeTakeFirst()).numDeletedRows,
        );
      turns += Number(
        (await trx.deleteFrom('transcript_turns').where('flagged', '=', 0).where('at', '<', cutoff).executeTakeFirst())
          .numDeletedRows,
      );
      const flags = oldFlags.length
        ? Number(
            (
              await trx
                .deleteFrom('flags')
                .where(
                  'id',
                  'in',
                  oldFlags.map((f) => f.id),
                )
                .executeTakeFirst()
            ).numDeletedRows,
          )
        : 0;
      const pages = Number(
        (await trx.deleteFrom('outbox').where('status', '=', 'delivered').where('delivered_at', '<', cutoff).executeTakeFirst())
          .numDeletedRows,
      );
      const feedback = Number((await trx.deleteFrom('feedback').where('at', '<', cutoff).executeTakeFirst()).numDeletedRows);
      const triage = Number((await trx.deleteFrom('triage_items').where('at', '<', cutoff).executeTakeFirst()).numDeletedRows);
      const sessions = Number(
        (await trx.deleteFrom('staff_sessions').where('expires_at', '<', now.toISOString()).executeTakeFirst()).numDeletedRows,
      );
      const result = { flags, turns, pages, feedback, triage, sessions };
      if (flags + turns + pages + feedback + triage + sessions > 0) this.logger.log(`Retention purge: ${JSON.stringify(result)}`);
      return result;
    });
  }
}
