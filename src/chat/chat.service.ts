import { Inject, Injectable } from '@nestjs/common';
import sanitizeHtml from 'sanitize-html';
import { AnswerComposer, type ReplyContext } from '../answers/answer-composer.js';
import type { Reply, ReplyBody } from '../answers/reply.js';
import { EscalationService } from '../escalation/escalation.service.js';
import type { Locale } from '../knowledge/entry.schema.js';
import type { MatchResult } from '../matching/matcher.js';
import { MatchingService } from '../matching/matching.service.js';
import { SafetyService } from '../safety/safety.service.js';
import { NO_RISK, nextRisk, type SafetyDecision } from '../safety/screen.js';
import { ConversationStore, type Conversation } from './conversation-store.js';

export interface ChatInput {
  text: string;
  locale?: Locale;
  conversationId?: string;
}

/** How a reply was reached, for staff tools (batch-test) and logs; never sent to visitors. */
export interface ChatTrace {
  decision: SafetyDecision;
  match: MatchResult | null;
  /** The best candidate's confidence, when matching ran. */
  score: number | null;
}

export type ChatOutcome = { reply: Reply; trace: ChatTrace } | { rateLimited: true };

/** Candidates below this confidence are too far off to offer as "Did you mean". */
const MIN_SUGGESTION_SCORE = 0.15;

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
   * @param admit consulted after the screen for messages that are not a crisis; returning false
   *   answers `rateLimited` and leaves the conversation untouched.
   */
  async respond(input: ChatInput, admit?: () => Promise<boolean>): Promise<ChatOutcome> {
    const conversation = this.conversations.resume(input.conversationId, input.locale ?? 'en');
    const decision = this.safety.screen(input.text, conversation.risk);
    if (decision.level !== 'crisis' && admit && !(await admit())) return { rateLimited: true };

    this.conversations.append(conversation, { role: 'visitor', text: input.text, risk: decision.level });
    const wasFlagged = conversation.risk.flagged;
    conversation.risk = nextRisk(conversation.risk, input.text, decision);

    let body: ReplyBody;
    let match: MatchResult | null = null;
    const ctx: ReplyContext = { locale: conversation.locale, risk: decision.level, flagged: conversation.risk.flagged };
    if (decision.level === 'crisis') {
      const flag = await this.escalation.raise(conversation, decision);
      body = this.composer.crisis(decision.kind ?? 'disclosure', { ...ctx, alerted: flag.staffAlerted });
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
            alerted: this.escalation.alerted(conversation),
          });
        } else {
          body = this.composer.fallback(
            match.ranked.filter((r) => r.score >= MIN_SUGGESTION_SCORE).map((r) => r.entry),
            ctx,
          );
        }
      }
    }

    const reply: Reply = { conversationId: conversation.id, ...body };
    this.recordReply(conversation, reply);
    if (conversation.risk.flagged) await this.escalation.recordTurn(conversation);
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

  /** The conversation, if it is live: for resuming on reconnect. */
  conversation(id: string): Conversation | undefined {
    return this.conversations.get(id);
  }

  private recordReply(conversation: Conversation, reply: Reply): void {
    const text = sanitizeHtml(reply.html, { allowedTags: [], allowedAttributes: {} }).replace(/\s+/g, ' ').trim();
    this.conversations.append(conversation, { role: 'bot', text, type: reply.type, entryId: reply.entryId });
  }
}
