import { Module } from '@nestjs/common';
import { AnswersModule } from '../answers/answers.module.js';
import { ConversationsModule } from '../conversations/conversations.module.js';
import { EscalationModule } from '../escalation/escalation.module.js';
import { KnowledgeModule } from '../knowledge/knowledge.module.js';
import { MatchingModule } from '../matching/matching.module.js';
import { SafetyModule } from '../safety/safety.module.js';
import { ChatGateway } from './chat.gateway.js';
import { ChatService } from './chat.service.js';
import { FeedbackRepository } from './feedback.repository.js';
import { HandoffService } from './handoff.service.js';
import { MessageRateLimits } from './rate-limits.js';

@Module({
  imports: [SafetyModule, MatchingModule, AnswersModule, EscalationModule, ConversationsModule, KnowledgeModule],
  providers: [ChatGateway, ChatService, MessageRateLimits, FeedbackRepository, HandoffService],
  exports: [ChatService, HandoffService, FeedbackRepository, ConversationsModule],
})
export class ChatModule {}
