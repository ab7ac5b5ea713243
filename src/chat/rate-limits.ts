import { Inject, Injectable } from '@nestjs/common';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { AppConfig } from '../config/app-config.js';

/** Per-connection message limits (rate-limiter-flexible: a maintained, well-tested limiter). */
@Injectable()
export class MessageRateLimits {
  private readonly limiter: RateLimiterMemory;

  constructor(@Inject(AppConfig) config: AppConfig) {
    this.limiter = new RateLimiterMemory({
      points: config.get('RATE_LIMIT_MESSAGES'),
      duration: config.get('RATE_LIMIT_WINDOW_SECONDS'),
    });
  }

  /** Takes one message from the key's allowance; false when it is used up. */
  async admit(key: string): Promise<boolean> {
    try {
      await this.limiter.consume(key);
      return true;
    } catch {
      return false;
    }
  }

  async forget(key: string): Promise<void> {
    await this.limiter.delete(key);
  }
}
