import { Module } from '@nestjs/common';
import { ChatModule } from '../chat/chat.module.js';
import { EscalationModule } from '../escalation/escalation.module.js';
import { KnowledgeModule } from '../knowledge/knowledge.module.js';
import { StaffModule } from '../staff/staff.module.js';
import { Analytics } from './analytics.js';
import { InsightsController } from './insights.controller.js';
import { OutcomeRecorder } from './outcome-recorder.js';
import { TriageQueue } from './triage-queue.js';
import { TriageRepository } from './triage.repository.js';

/** Content analytics and the triage queue (counts per day; visitor text only under TRIAGE_STORE_TEXT). */
@Module({
  imports: [ChatModule, EscalationModule, KnowledgeModule, StaffModule],
  controllers: [InsightsController],
  providers: [OutcomeRecorder, TriageRepository, Analytics, TriageQueue],
  exports: [TriageRepository],
})
export class InsightsModule {}
