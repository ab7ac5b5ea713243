import { Module } from '@nestjs/common';
import { KnowledgeModule } from '../knowledge/knowledge.module.js';
import { SafetyService } from './safety.service.js';

@Module({ imports: [KnowledgeModule], providers: [SafetyService], exports: [SafetyService] })
export class SafetyModule {}
