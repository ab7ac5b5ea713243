import { Module } from '@nestjs/common';
import { KnowledgeModule } from '../knowledge/knowledge.module.js';
import { AnswerComposer } from './answer-composer.js';

@Module({ imports: [KnowledgeModule], providers: [AnswerComposer], exports: [AnswerComposer] })
export class AnswersModule {}
