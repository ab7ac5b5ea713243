import { Module } from '@nestjs/common';
import { EscalationModule } from '../escalation/escalation.module.js';
import { KnowledgeModule } from '../knowledge/knowledge.module.js';
import { StaffModule } from '../staff/staff.module.js';
import { HealthController } from './health.controller.js';
import { OnCallReach } from './on-call-reach.js';

@Module({ imports: [KnowledgeModule, EscalationModule, StaffModule], controllers: [HealthController], providers: [OnCallReach] })
export class HealthModule {}
