import { Module } from '@nestjs/common';
import { AuditLog } from './audit-log.js';
import { EscalationService } from './escalation.service.js';
import { FlagEvents } from './flag-events.js';
import { FlagsRepository } from './flags.repository.js';
import { OutboxRepository } from './outbox.repository.js';
import { OutboxWorker } from './outbox.worker.js';
import { RetentionService } from './retention.service.js';
import { WebhookDelivery } from './webhook-delivery.js';

@Module({
  providers: [
    EscalationService,
    FlagsRepository,
    OutboxRepository,
    OutboxWorker,
    WebhookDelivery,
    FlagEvents,
    AuditLog,
    RetentionService,
  ],
  exports: [EscalationService, FlagEvents, AuditLog, OutboxWorker, RetentionService],
})
export class EscalationModule {}
