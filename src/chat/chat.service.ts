import { Inject, Injectable } from '@nestjs/common';
import sanitizeHtml from 'sanitize-html';
import { AnswerComposer, type ReplyContext } from '../answers/answer-composer.js';
import type { Reply, ReplyBody } from '../answers/reply.js';
import { EscalationService } from '../escalation/escalation.service.js';
import { LOCALES, type Locale } from '../knowledge/entry.schema.js';
import type { MatchResult } from '../matching/matcher.js';
import { MatchingService } from '../matching/matching.service.js';
import { SafetyService } from '../safety/safety.service.js';
import { NO_RISK, nextRisk, type SafetyDecision } from '../safety/screen.js';
import { ConversationStore, type Conversation, type Turn } from './conversation-store.js';

export interface ChatInput {
  text: string;
  locale?: Locale;
  conversationId?: string;
  /** Set by the widget so a message resent after a reconnection is answered once. */
  clientMessageId?: string;
}

/** How a reply was reached, for staff tools (batch-test) and logs; never sent to visitors. */
export interface ChatTrace {
  decision: SafetyDecision;
  match: MatchResult | null;
  /** The best candidate's confidence, when matching ran. */
  score: number | null;
}

export type ChatOutcome = { reply: Reply; trace: ChatTrace } | { rateLimited: true };

/** What a reconnecting widget needs to show the conversation again. */
export interface ConversationSnapshot {
  conversationId: string;
  turns: Array<{ role: Turn['role']; text?: string; at: string; reply?: Reply; clientMessageId?: string }>;
  flagged: boolean;
  staffPresent: boolean;
}

/** Candidates below this confidence are too far off to offer as "Did you mean". */
const MIN_SUGGESTION_SCORE = 0.15;
const SNAPSHOT_TURNS = 50;

/**
 * The one pipeline every message goes through, from the socket and from batch-test alike:
 * safety screen -> (rate limit, never for a crisis) -> matcher -> answer composer, with the
 * conversation's state and escalation on the side.
 */
@Injectable()
export class ChatService {
  constructor(
    @Inject(SafetyService) private readonly safety: SafetyService,
    @Inject(MatchingService) private readonly matching: MatchingService,
    @Inject(AnswerComposer) private readonly composer: AnswerComposer,
    @Inject(ConversationStore) private readonly conversations: ConversationStore,
    @Inject(EscalationService) private readonly escalation: EscalationService,
  ) {}

  /**
   * @param admit consulted after the screen for messages that are not a crisis (told whether the
   *   message starts a new conversation); returning false answers `rateLimited` and leaves the
   *   conversation untouched.
   */
  async respond(input: ChatInput, admit?: (startsConversation: boolean) => Promise<boolean>): Promise<ChatOutcome> {
    const conversation = await this.open(input.conversationId, input.locale ?? 'en');
    const startsConversation = conversation.transcript.length === 0;
    // A message sent again after a reconnection gets the reply it already got, and is not screened or
    // counted twice (it was screened the first time).
    const repeated = input.clientMessageId ? this.replyTo(conversation, input.clientMessageId) : null;
    if (repeated) return { reply: repeated, trace: { decision: repeatedDecision(repeated), match: null, score: null } };
    const decision = this.safety.screen(input.text, conversation.risk);
    if (decision.level !== 'crisis' && admit && !(await admit(startsConversation))) {
      if (startsConversation) this.conversations.forget(conversation.id);
      return { rateLimited: true };
    }

    this.conversations.append(conversation, {
      role: 'visitor',
      text: input.text,
      risk: decision.level,
      clientMessageId: input.clientMessageId,
    });
    const wasFlagged = conversation.risk.flagged;
    conversation.risk = nextRisk(conversation.risk, input.text, decision);

    let body: ReplyBody;
    let match: MatchResult | null = null;
    const ctx: ReplyContext = { locale: conversation.locale, risk: decision.level, flagged: conversation.risk.flagged };
    if (decision.level === 'crisis') {
      // The flag is stored (with its page queued) before the visitor sees the reply.
      const flag = await this.escalation.raise(conversation, decision);
      body = this.composer.crisis(decision.kind ?? 'disclosure', { ...ctx, alerted: flag.staffAlerted });
    } else if (conversation.staffPresent > 0) {
      body = this.composer.relayed(ctx);
    } else if (wasFlagged && decision.retraction) {
      body = this.composer.crisisFollowUp(ctx);
    } else {
      const smalltalk = this.composer.detectSmalltalk(input.text);
      if (smalltalk) {
        body = this.composer.smalltalkReply(smalltalk, ctx);
      } else {
        match = this.matching.match(input.text, conversation.locale);
        if (match.answer && (!wasFlagged || match.inDomain)) {
          body = this.composer.answer(match.answer.entry, ctx);
        } else if (wasFlagged) {
          // In a flagged conversation, only a clear question about the treatment gets an FAQ answer;
          // anything else ("what do I do", "they've been bad this week") gets the crisis resources
          // again, never a "no reviewed answer".
          body = this.composer.crisis(conversation.risk.flagKind ?? 'disclosure', {
            ...ctx,
            risk: 'crisis',
            alerted: this.escalation.alerted(),
          });
        } else {
          body = this.composer.fallback(
            match.ranked.filter((r) => r.score >= MIN_SUGGESTION_SCORE).map((r) => r.entry),
            ctx,
          );
        }
      }
    }

    const reply: Reply = { conversationId: conversation.id, ...body, staffPresent: conversation.staffPresent > 0 };
    this.conversations.append(conversation, {
      role: 'bot',
      text: htmlToText(reply.html),
      type: reply.type,
      entryId: reply.entryId,
      reply,
    });
    await this.escalation.recordTurn(conversation);
    return { reply, trace: { decision, match, score: match?.ranked[0]?.score ?? null } };
  }

  /**
   * For text that failed validation: screened all the same, and answered with the crisis reply when it
   * is a crisis (otherwise null, and the caller reports the validation error).
   */
  async respondIfCrisis(input: ChatInput): Promise<Reply | null> {
    const known = input.conversationId ? this.conversations.get(input.conversationId) : undefined;
    if (this.safety.screen(input.text, known?.risk ?? NO_RISK).level !== 'crisis') return null;
    const outcome = await this.respond(input);
    return 'reply' in outcome ? outcome.reply : null;
  }

  /** The conversation's recent turns and state, for a widget that reconnects or reloads; null if unknown. */
  async snapshot(conversationId: string): Promise<ConversationSnapshot | null> {
    const conversation = await this.find(conversationId);
    if (!conversation) return null;
    return {
      conversationId: conversation.id,
      turns: conversation.transcript
        .slice(-SNAPSHOT_TURNS)
        .map((t) =>
          t.role === 'bot' && t.reply
            ? { role: t.role, at: t.at, reply: t.reply }
            : { role: t.role, text: t.text, at: t.at, clientMessageId: t.clientMessageId },
        ),
      flagged: conversation.risk.flagged,
      staffPresent: conversation.staffPresent > 0,
    };
  }

  /**
   * The visitor clears the conversation: forgotten here. A flagged conversation stays stored for the
   * care team (the privacy note says so); only this device's view of it ends.
   */
  forget(conversationId: string): boolean {
    return this.conversations.forget(conversationId);
  }

  /** A live conversation, or a flagged one brought back from storage after a restart. */
  async find(conversationId: string): Promise<Conversation | undefined> {
    const live = this.conversations.get(conversationId);
    if (live) return live;
    const stored = await this.escalation.restore(conversationId);
    if (!stored) return undefined;
    const locale = (LOCALES as readonly string[]).includes(stored.locale) ? (stored.locale as Locale) : 'en';
    return this.conversations.restore(
      conversationId,
      locale,
      stored.risk,
      stored.transcript.map((t) => ({ ...t })),
    );
  }

  private async open(conversationId: string | undefined, locale: Locale): Promise<Conversation> {
    if (conversationId && !this.conversations.get(conversationId)) await this.find(conversationId);
    return this.conversations.resume(conversationId, locale);
  }

  /** The reply already given to this client message id, if any. */
  private replyTo(conversation: Conversation, clientMessageId: string): Reply | null {
    const i = conversation.transcript.findIndex((t) => t.role === 'visitor' && t.clientMessageId === clientMessageId);
    if (i < 0) return null;
    return conversation.transcript.slice(i + 1).find((t) => t.role === 'bot')?.reply ?? null;
  }
}

function repeatedDecision(reply: Reply): SafetyDecision {
  return { level: reply.risk, kind: reply.crisisKind, reasons: [], retraction: false };
}

function htmlToText(html: string): string {
  return sanitizeHtml(html, { allowedTags: [], allowedAttributes: {} }).replace(/\s+/g, ' ').trim();
}
