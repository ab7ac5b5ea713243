import { Inject, Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { ConversationsService } from '../conversations/conversations.service.js';
import { EscalationService } from '../escalation/escalation.service.js';
import { OutboxRepository } from '../escalation/outbox.repository.js';
import { LiveEvents } from '../events/live-events.js';
import { RealtimeServer } from '../realtime/realtime-server.js';
import { Journal } from '../storage/journal.js';

/** Reply latency buckets, in seconds: a reply normally takes a millisecond or two. */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/**
 * Prometheus metrics (prom-client), one registry per app. Messages are counted from the pipeline's
 * `chat:outcome` event (on the side, like analytics); latency by the socket request interceptor; the
 * rest (flags, outbox, journal, connections, conversations) is read when Prometheus scrapes.
 * The fallback rate is `kap_messages_total{type="fallback"}` over all of `kap_messages_total`.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();
  private readonly messages = new Counter({
    name: 'kap_messages_total',
    help: 'Visitor messages answered, by reply type (answer, fallback, crisis, crisis-follow-up, smalltalk, relayed) and screened risk level',
    labelNames: ['type', 'risk'] as const,
    registers: [this.registry],
  });
  private readonly latency = new Histogram({
    name: 'kap_socket_request_duration_seconds',
    help: 'Time from a socket.io request (a message, a staff action) reaching the server to its reply',
    labelNames: ['namespace', 'event'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  constructor(
    @Inject(LiveEvents) events: LiveEvents,
    @Inject(EscalationService) escalation: EscalationService,
    @Inject(OutboxRepository) outbox: OutboxRepository,
    @Inject(Journal) journal: Journal,
    @Inject(RealtimeServer) realtime: RealtimeServer,
    @Inject(ConversationsService) conversations: ConversationsService,
  ) {
    collectDefaultMetrics({ register: this.registry });
    events.on('chat:outcome', (o) => this.messages.inc({ type: o.reply, risk: o.level }));
    const registers = [this.registry];
    new Gauge({
      name: 'kap_open_flags',
      help: 'Crisis flags not yet resolved (open or acknowledged), stored or waiting in memory for the store',
      registers,
      async collect() {
        this.set(await escalation.unresolvedCount().catch(() => NaN));
      },
    });
    new Gauge({
      name: 'kap_outbox_backlog',
      help: 'Pages in the notification outbox by status: pending (to deliver or retry) and failed (given up)',
      labelNames: ['status'] as const,
      registers,
      async collect() {
        const counts = await outbox.counts().catch(() => ({ pending: NaN, failed: NaN }));
        this.set({ status: 'pending' }, counts.pending + escalation.memoryPages.size);
        this.set({ status: 'failed' }, counts.failed);
      },
    });
    new Gauge({
      name: 'kap_journal_pending',
      help: 'Records in the local journal waiting for the store (non-zero only while the store fails)',
      registers,
      collect() {
        this.set(journal.pending);
      },
    });
    new Gauge({
      name: 'kap_connections',
      help: 'Open socket.io connections by namespace (/chat: visitors, /staff: on-call consoles)',
      labelNames: ['namespace'] as const,
      registers,
      collect() {
        for (const namespace of ['/chat', '/staff']) this.set({ namespace }, realtime.connections(namespace));
      },
    });
    new Gauge({
      name: 'kap_live_conversations',
      help: 'Conversations held in memory (forgotten after CONVERSATION_IDLE_MINUTES without messages)',
      registers,
      collect() {
        this.set(conversations.size);
      },
    });
  }

  socketRequest(namespace: string, event: string, seconds: number): void {
    this.latency.observe({ namespace, event }, seconds);
  }
}
