import { Inject, Injectable } from '@nestjs/common';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { Cluster } from '../cluster/cluster.js';
import { AppConfig } from '../config/app-config.js';

/**
 * Message limits per connection, and new conversations per client address (rate-limiter-flexible: a
 * maintained, well-tested limiter). A crisis message never reaches these: the pipeline screens first.
 * Invalid payloads, feedback and contact count against the same per-connection allowance. With several
 * instances the counts live in Redis, so a visitor gets the same allowance whichever instance answers.
 */
@Injectable()
export class MessageRateLimits {
  private readonly perConnection: RateLimiterAbstract;
  private readonly newConversations: RateLimiterAbstract;

  constructor(@Inject(AppConfig) config: AppConfig, @Inject(Cluster) cluster: Cluster) {
    this.perConnection = cluster.limiter({
      keyPrefix: 'messages',
      points: config.get('RATE_LIMIT_MESSAGES'),
      duration: config.get('RATE_LIMIT_WINDOW_SECONDS'),
    });
    this.newConversations = cluster.limiter({
      keyPrefix: 'conversations',
      points: config.get('NEW_CONVERSATIONS_PER_HOUR'),
      duration: 3600,
    });
  }

  /** Takes one message from the connection's allowance, and one new conversation from the address's. */
  async admit(connection: string, address: string, startsConversation: boolean): Promise<boolean> {
    return (await take(this.perConnection, connection)) && (!startsConversation || (await take(this.newConversations, address)));
  }

  /** Takes one message from the connection's allowance only (invalid payloads, feedback, contact). */
  async admitOther(connection: string): Promise<boolean> {
    return take(this.perConnection, connection);
  }

  async forget(connection: string): Promise<void> {
    await this.perConnection.delete(connection);
  }
}

async function take(limiter: RateLimiterAbstract, key: string): Promise<boolean> {
  try {
    await limiter.consume(key);
    return true;
  } catch {
    return false;
  }
}
