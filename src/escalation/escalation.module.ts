import { Module } from '@nestjs/common';
import { AuditLog } from './audit-log.js';
import { EscalationService } from './escalation.service.js';
import { FlagsRepository } from './flags.repository.js';
import { MissedFlags } from './missed-flags.js';
import { OutboxRepository } from './outbox.repository.js';
import { OutboxWorker } from './outbox.worker.js';
import { PagingStatus } from './paging-status.js';
import { RetentionService } from './retention.service.js';
import { WebhookDelivery } from './webhook-delivery.js';

@Module({
  providers: [
    EscalationService,
    FlagsRepository,
    OutboxRepository,
    OutboxWorker,
    WebhookDelivery,
    AuditLog,
    RetentionService,
    PagingStatus,
    MissedFlags,
  ],
  exports: [EscalationService, AuditLog, OutboxWorker, RetentionService, PagingStatus, OutboxRepository],
})
export class EscalationModule {}
