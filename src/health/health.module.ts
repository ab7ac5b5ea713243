import { Module } from '@nestjs/common';
import { ChatModule } from '../chat/chat.module.js';
import { EscalationModule } from '../escalation/escalation.module.js';
import { KnowledgeModule } from '../knowledge/knowledge.module.js';
import { StaffModule } from '../staff/staff.module.js';
import { HealthController } from './health.controller.js';
import { OnCallReach } from './on-call-reach.js';
import { ReadinessCheck } from './readiness.js';

@Module({
  imports: [KnowledgeModule, EscalationModule, StaffModule, ChatModule],
  controllers: [HealthController],
  providers: [OnCallReach, ReadinessCheck],
  exports: [ReadinessCheck],
})
export class HealthModule {}
