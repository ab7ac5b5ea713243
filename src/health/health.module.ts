import { Module } from '@nestjs/common';
import { KnowledgeModule } from '../knowledge/knowledge.module.js';
import { HealthController } from './health.controller.js';

@Module({ imports: [KnowledgeModule], controllers: [HealthController] })
export class HealthModule {}
