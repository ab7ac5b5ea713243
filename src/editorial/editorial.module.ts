import { Module } from '@nestjs/common';
import { AnswersModule } from '../answers/answers.module.js';
import { ChatModule } from '../chat/chat.module.js';
import { EscalationModule } from '../escalation/escalation.module.js';
import { InsightsModule } from '../insights/insights.module.js';
import { KnowledgeModule } from '../knowledge/knowledge.module.js';
import { MatchingModule } from '../matching/matching.module.js';
import { StaffModule } from '../staff/staff.module.js';
import { BaselineImport } from './baseline-import.js';
import { CorpusStore } from './corpus-store.js';
import { DraftsService } from './drafts.service.js';
import { EditorialController } from './editorial.controller.js';
import { EntriesService } from './entries.service.js';
import { LiveCorpus } from './live-corpus.service.js';
import { Publisher } from './publisher.service.js';
import { TestQuestions } from './test-questions.js';
import { TriageActionsController } from './triage-actions.controller.js';

/**
 * Corpus editing: the live corpus held in the store with its history, the knowledge/ baseline flowing
 * into it, drafts, publishing with the regression check, preview and the question tester.
 */
@Module({
  imports: [KnowledgeModule, MatchingModule, AnswersModule, ChatModule, EscalationModule, StaffModule, InsightsModule],
  controllers: [EditorialController, TriageActionsController],
  providers: [CorpusStore, BaselineImport, LiveCorpus, DraftsService, Publisher, TestQuestions, EntriesService],
  exports: [LiveCorpus],
})
export class EditorialModule {}
