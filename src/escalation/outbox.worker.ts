import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { EscalationService } from './escalation.service.js';
import { FlagEvents } from './flag-events.js';
import { OutboxRepository } from './outbox.repository.js';
import { WebhookDelivery } from './webhook-delivery.js';

/**
 * Delivers the outbox and escalates overdue flags, every OUTBOX_POLL_MS and right after a new flag.
 * Failed deliveries are retried with exponential backoff (with jitter) until a 2xx, across restarts:
 * everything it needs is in the database.
 */
@Injectable()
export class OutboxWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(OutboxWorker.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    @Inject(OutboxRepository) private readonly outbox: OutboxRepository,
    @Inject(WebhookDelivery) private readonly delivery: WebhookDelivery,
    @Inject(EscalationService) private readonly escalation: EscalationService,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(FlagEvents) events: FlagEvents,
  ) {
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

  /** One pass; concurrent calls share the pass in progress. */
  tick(): Promise<void> {
    this.running ??= this.pass().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async pass(): Promise<void> {
    try {
      await this.escalation.escalateOverdue();
      for (const item of await this.outbox.due(new Date().toISOString())) {
        const result = await this.delivery.send(item);
        if (result.ok) {
          await this.outbox.delivered(item.id);
          this.logger.log(`Delivered ${item.event} for flag ${item.flag_id} (attempt ${item.attempts + 1})`);
        } else {
          const attempts = item.attempts + 1;
          await this.outbox.retryLater(item.id, attempts, new Date(Date.now() + this.backoff(attempts)), result.error);
        }
      }
    } catch (err) {
      this.logger.error(`outbox pass failed: ${(err as Error).stack ?? err}`);
    }
  }

  /** base x 2^(attempts-1), capped, with +-20% jitter so many nodes do not retry in step. */
  private backoff(attempts: number): number {
    const base = this.config.get('WEBHOOK_RETRY_BASE_MS');
    const capped = Math.min(this.config.get('WEBHOOK_RETRY_MAX_MS'), base * 2 ** Math.min(attempts - 1, 30));
    return Math.round(capped * (0.8 + Math.random() * 0.4));
  }
}
