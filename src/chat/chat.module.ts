import { Module } from '@nestjs/common';
import { AnswersModule } from '../answers/answers.module.js';
import { EscalationModule } from '../escalation/escalation.module.js';
import { MatchingModule } from '../matching/matching.module.js';
import { SafetyModule } from '../safety/safety.module.js';
import { ChatGateway } from './chat.gateway.js';
import { ChatService } from './chat.service.js';
import { ConversationStore } from './conversation-store.js';
import { FeedbackRepository } from './feedback.repository.js';
import { HandoffService } from './handoff.service.js';
import { MessageRateLimits } from './rate-limits.js';

@Module({
  imports: [SafetyModule, MatchingModule, AnswersModule, EscalationModule],
  providers: [ChatGateway, ChatService, ConversationStore, MessageRateLimits, FeedbackRepository, HandoffService],
  exports: [ChatService, ConversationStore, HandoffService, FeedbackRepository],
})
export class ChatModule {}
