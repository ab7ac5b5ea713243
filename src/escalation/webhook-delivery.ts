import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import type { OutboxRow } from './outbox.repository.js';
import { signWebhook } from './webhook-signature.js';

export interface WebhookTarget {
  url: string;
  secret: string;
}

/** Sends one outbox item to its webhook, signed. Resolves true on a 2xx answer. */
@Injectable()
export class WebhookDelivery {
  constructor(@Inject(AppConfig) private readonly config: AppConfig) {}

  target(which: OutboxRow['target']): WebhookTarget | null {
    const primary = this.config.get('PAGING_WEBHOOK_URL');
    const primarySecret = this.config.get('PAGING_WEBHOOK_SECRET');
    if (which === 'secondary') {
      const url = this.config.get('ESCALATION_WEBHOOK_URL');
      const secret = this.config.get('ESCALATION_WEBHOOK_SECRET') ?? primarySecret;
      if (url && secret) return { url, secret };
    }
    // Escalation without a secondary webhook pages the primary again.
    return primary && primarySecret ? { url: primary, secret: primarySecret } : null;
  }

  async send(
    item: Pick<OutboxRow, 'id' | 'idempotency_key' | 'flag_id' | 'target' | 'event' | 'payload'>,
  ): Promise<{ ok: true } | { ok: false; error: string }> {
    const target = this.target(item.target);
    if (!target) return { ok: false, error: 'no webhook configured' };
    const timestamp = Math.floor(Date.now() / 1000);
    try {
      const res = await fetch(target.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'kap-assistant-paging/1',
          'idempotency-key': item.idempotency_key,
          'x-kap-event': item.event,
          'x-kap-delivery': item.id,
          'x-kap-timestamp': String(timestamp),
          'x-kap-signature': signWebhook(target.secret, timestamp, item.payload),
        },
        body: item.payload,
        signal: AbortSignal.timeout(this.config.get('WEBHOOK_TIMEOUT_MS')),
      });
      await res.body?.cancel();
      if (res.ok) return { ok: true };
      return { ok: false, error: `HTTP ${res.status}` };
    } catch (err) {
      // The worker logs every failure, with its attempt number.
      return { ok: false, error: (err as Error).message };
    }
  }
}
