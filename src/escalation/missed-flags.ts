import { Inject, Injectable, Logger } from '@nestjs/common';
import { Cluster } from '../cluster/cluster.js';
import { LiveEvents } from '../events/live-events.js';
import { EscalationService } from './escalation.service.js';

/** Flag events this long before Redis was found unreachable may not have reached the other instances either. */
const SLACK_MS = 10_000;
/** How long a flag event is remembered for that purpose (longer outages replay what is still remembered). */
const REMEMBER_MS = 15 * 60_000;
const AGAIN_AFTER_MS = 5_000;

/**
 * Several instances: flag events travel to the other instances' consoles through Redis, so those raised
 * while Redis was unreachable reached only this instance's consoles. When Redis is back, each instance
 * sends the flags it raised or changed meanwhile again, as they are now (consoles that already have a flag
 * only update it; the others alert on it as new). In one process there is nothing to replay.
 */
@Injectable()
export class MissedFlags {
  private readonly logger = new Logger(MissedFlags.name);
  /** Flag id -> when its last event was sent here, and whether it was new then. */
  private readonly recent = new Map<string, { at: number; isNew: boolean }>();

  constructor(
    @Inject(Cluster) cluster: Cluster,
    @Inject(LiveEvents) private readonly events: LiveEvents,
    @Inject(EscalationService) private readonly escalation: EscalationService,
  ) {
    if (!cluster.shared) return;
    events.on('flag:new', (f) => this.remember(f.id, true));
    events.on('flag:updated', (f) => this.remember(f.id, false));
    cluster.onReconnect((lostAt) => {
      void this.replay(lostAt - SLACK_MS);
      // Again once every instance has surely reconnected its own stream reader (ioredis retries at most
      // every 2 s): one that comes back after this replay would not read it. Consoles only update twice.
      setTimeout(() => void this.replay(lostAt - SLACK_MS), AGAIN_AFTER_MS).unref();
    });
  }

  private remember(id: string, isNew: boolean): void {
    const now = Date.now();
    this.recent.set(id, { at: now, isNew: isNew || (this.recent.get(id)?.isNew ?? false) });
    for (const [key, seen] of this.recent) if (now - seen.at > REMEMBER_MS) this.recent.delete(key);
  }

  private async replay(since: number): Promise<void> {
    const missed = [...this.recent].filter(([, seen]) => seen.at >= since);
    for (const [id, { isNew }] of missed) {
      try {
        const flag = await this.escalation.view(id);
        // Through the events, not to this instance's consoles only: the gateway broadcasts to every instance.
        this.events.emit(isNew ? 'flag:new' : 'flag:updated', flag);
      } catch (err) {
        this.logger.error(`flag ${id} not sent again after the Redis outage: ${(err as Error).message}`);
      }
    }
    if (missed.length) this.logger.log(`Redis is back: ${missed.length} flag(s) raised or changed meanwhile sent to every console again`);
  }
}
