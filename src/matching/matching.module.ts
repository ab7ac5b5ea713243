import { Module } from '@nestjs/common';
import { KnowledgeModule } from '../knowledge/knowledge.module.js';
import { MatchingService } from './matching.service.js';

@Module({ imports: [KnowledgeModule], providers: [MatchingService], exports: [MatchingService] })
export class MatchingModule {}
