import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';

/** What this process knows about paging: configured, and whether its last delivery attempt failed. */
@Injectable()
export class PagingStatus {
  private failingSince: string | null = null;
  private lastError: string | null = null;
  private lastSuccessAt: string | null = null;

  constructor(@Inject(AppConfig) private readonly config: AppConfig) {}

  get configured(): boolean {
    return Boolean(this.config.get('PAGING_WEBHOOK_URL'));
  }

  /** Paging is configured and not known to be failing. */
  get working(): boolean {
    return this.configured && this.failingSince === null;
  }

  recordSuccess(): void {
    this.failingSince = null;
    this.lastError = null;
    this.lastSuccessAt = new Date().toISOString();
  }

  recordFailure(error: string): void {
    this.failingSince ??= new Date().toISOString();
    this.lastError = error;
  }

  snapshot() {
    return {
      configured: this.configured,
      failing: this.failingSince !== null,
      failingSince: this.failingSince,
      lastError: this.lastError,
      lastSuccessAt: this.lastSuccessAt,
    };
  }
}
