import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { AnswerComposer } from '../answers/answer-composer.js';
import { EscalationService } from '../escalation/escalation.service.js';
import { FlagEvents } from '../escalation/flag-events.js';
import { ChatService } from './chat.service.js';
import { ConversationStore, type Conversation } from './conversation-store.js';

/**
 * A person from the care team joins a conversation, writes in it, and leaves it again. While someone
 * is there, the visitor's messages go to them (still screened first); leaving hands the conversation
 * back to the assistant, whose replies keep the resources visible.
 */
@Injectable()
export class HandoffService {
  constructor(
    @Inject(ChatService) private readonly chat: ChatService,
    @Inject(ConversationStore) private readonly conversations: ConversationStore,
    @Inject(AnswerComposer) private readonly composer: AnswerComposer,
    @Inject(EscalationService) private readonly escalation: EscalationService,
    @Inject(FlagEvents) private readonly events: FlagEvents,
  ) {}

  async join(conversationId: string, staffId: string): Promise<Conversation> {
    const conversation = await this.require(conversationId);
    // The console lists flagged conversations only; nobody joins an ordinary one.
    if (!conversation.risk.flagged) throw new NotFoundException(`no flagged conversation ${conversationId}`);
    conversation.staffPresent++;
    const turn = this.conversations.append(conversation, {
      role: 'notice',
      text: this.composer.noticeText('staffJoined', conversation.locale),
    });
    await this.escalation.recordTurn(conversation);
    this.events.emit('staff:joined', { conversationId, staffId, at: turn.at });
    return conversation;
  }

  async say(conversationId: string, staffId: string, text: string): Promise<void> {
    const conversation = await this.require(conversationId);
    const turn = this.conversations.append(conversation, { role: 'staff', text });
    await this.escalation.recordTurn(conversation);
    this.events.emit('staff:message', { conversationId, staffId, text, at: turn.at });
  }

  async leave(conversationId: string, staffId: string): Promise<void> {
    const conversation = await this.require(conversationId);
    if (conversation.staffPresent === 0) return;
    conversation.staffPresent--;
    const turn = this.conversations.append(conversation, {
      role: 'notice',
      text: this.composer.noticeText('staffLeft', conversation.locale),
    });
    await this.escalation.recordTurn(conversation);
    this.events.emit('staff:left', { conversationId, staffId, at: turn.at });
  }

  /** The notice text for a visitor's widget. */
  notice(conversationId: string, which: 'staffJoined' | 'staffLeft'): string {
    return this.composer.noticeText(which, this.conversations.get(conversationId)?.locale ?? 'en');
  }

  private async require(conversationId: string): Promise<Conversation> {
    const conversation = await this.chat.find(conversationId);
    if (!conversation) throw new NotFoundException(`no live conversation ${conversationId}`);
    return conversation;
  }
}
