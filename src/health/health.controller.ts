import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { OutboxRepository } from '../escalation/outbox.repository.js';
import { PagingStatus } from '../escalation/paging-status.js';
import { KnowledgeService } from '../knowledge/knowledge.service.js';
import { Journal } from '../storage/journal.js';
import { OnCallReach } from './on-call-reach.js';
import { ReadinessCheck } from './readiness.js';

@Controller('health')
export class HealthController {
  constructor(
    @Inject(KnowledgeService) private readonly knowledge: KnowledgeService,
    @Inject(Journal) private readonly journal: Journal,
    @Inject(PagingStatus) private readonly paging: PagingStatus,
    @Inject(OutboxRepository) private readonly outbox: OutboxRepository,
    @Inject(OnCallReach) private readonly reach: OnCallReach,
    @Inject(ReadinessCheck) private readonly readiness: ReadinessCheck,
  ) {}

  /** Liveness: the process is up and its event loop answers. Restart it only when this fails. */
  @Get('live')
  live() {
    return { status: 'ok' };
  }

  /**
   * Readiness: 200 when this instance can answer visitors, crisis replies included (which never depend on
   * the store); 503 while it shuts down or its pipeline fails. The store (and Redis, when configured) is
   * reported beside it without changing it.
   */
  @Get('ready')
  async ready(@Res({ passthrough: true }) res: Response) {
    const readiness = await this.readiness.check();
    res.status(readiness.ready ? 200 : 503);
    const { ready, ...report } = readiness;
    return { status: ready ? 'ready' : 'not-ready', ...report };
  }

  /**
   * `status` is `degraded` when something needs an operator: flags waiting in the local journal because
   * the store failed, paging failing, or a flag that would reach nobody. Visitors still get answers and
   * crisis replies in every case.
   */
  @Get()
  async health() {
    const corpus = this.knowledge.current;
    const outbox = await this.outbox.counts().catch(() => null);
    const reach = await this.reach.current().catch(() => null);
    const store = {
      ok: this.journal.pending === 0 && outbox !== null,
      journalPending: this.journal.pending,
      lastError: this.journal.lastError,
    };
    const paging = { ...this.paging.snapshot(), pending: outbox?.pending ?? null, failed: outbox?.failed ?? null };
    const degraded = !store.ok || paging.failing || (paging.failed ?? 0) > 0 || (reach !== null && !reach.reachesSomeone);
    return {
      status: degraded ? 'degraded' : 'ok',
      corpus: {
        version: corpus.version,
        entries: corpus.entries.length,
        overdueReviews: corpus.warnings.filter((w) => w.field === 'reviewBy').length,
        // Translations whose English entry changed since: to review, then update `translatedFrom`.
        translationsDue: corpus.warnings.filter((w) => w.field === 'translatedFrom').map((w) => w.file),
      },
      store,
      paging,
      escalation: reach,
    };
  }
}
