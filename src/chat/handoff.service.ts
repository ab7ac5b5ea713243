import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { AnswerComposer } from '../answers/answer-composer.js';
import type { Conversation } from '../conversations/conversation.js';
import { ConversationsService } from '../conversations/conversations.service.js';
import { LiveEvents } from '../events/live-events.js';

/**
 * A person from the care team joins a conversation, writes in it, and leaves it again. Presence is per
 * console connection (its presence key): joining twice from one console counts once, and a console that
 * disconnects leaves every conversation it was in. While someone is there, the visitor's messages go to
 * them (still screened first); leaving hands the conversation back to the assistant, whose replies keep
 * the resources visible.
 */
@Injectable()
export class HandoffService {
  constructor(
    @Inject(ConversationsService) private readonly conversations: ConversationsService,
    @Inject(AnswerComposer) private readonly composer: AnswerComposer,
    @Inject(LiveEvents) private readonly events: LiveEvents,
  ) {}

  async join(conversationId: string, presenceKey: string, staffId: string): Promise<void> {
    await this.locked(conversationId, async (conversation) => {
      // The console lists flagged conversations only; nobody joins an ordinary one.
      if (!conversation.risk.flagged) throw new NotFoundException(`no flagged conversation ${conversationId}`);
      const first = conversation.staff.size === 0;
      if (!(await this.conversations.join(conversation, presenceKey, staffId)) || !first) return;
      const text = this.composer.noticeText('staffJoined', conversation.locale);
      const turn = await this.conversations.append(conversation, { role: 'notice', text });
      this.events.emit('staff:joined', { conversationId, staffId, at: turn.at, text });
    });
  }

  async say(conversationId: string, presenceKey: string, staffId: string, text: string): Promise<void> {
    await this.locked(conversationId, async (conversation) => {
      if (!conversation.staff.has(presenceKey)) throw new NotJoined('join the conversation first');
      const turn = await this.conversations.append(conversation, { role: 'staff', text, staffId });
      this.events.emit('staff:message', { conversationId, staffId, text, at: turn.at });
    });
  }

  async leave(conversationId: string, presenceKey: string): Promise<void> {
    await this.locked(conversationId, async (conversation) => {
      const staffId = conversation.staff.get(presenceKey);
      if (!staffId || !(await this.conversations.leave(conversation, presenceKey))) return;
      // The visitor hears that the care team left only when the last of them leaves.
      if (conversation.staff.size > 0) return;
      const text = this.composer.noticeText('staffLeft', conversation.locale);
      const turn = await this.conversations.append(conversation, { role: 'notice', text });
      this.events.emit('staff:left', { conversationId, staffId, at: turn.at, text });
    });
  }

  /** A console disconnected (or its session ended): it leaves every conversation it was in. */
  async leaveAll(presenceKey: string): Promise<void> {
    for (const conversationId of await this.conversations.joinedBy(presenceKey)) await this.leave(conversationId, presenceKey);
  }

  private async locked(conversationId: string, work: (c: Conversation) => Promise<void>): Promise<void> {
    await this.conversations.withLock(conversationId, async () => {
      const conversation = await this.conversations.find(conversationId);
      if (!conversation) throw new NotFoundException(`no conversation ${conversationId}`);
      await work(conversation);
    });
  }
}

export class NotJoined extends Error {}
