import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { AnswerComposer, type ReplyContext } from '../answers/answer-composer.js';
import type { Reply, ReplyBody, Resource } from '../answers/reply.js';
import type { Conversation } from '../conversations/conversation.js';
import { ConversationsService } from '../conversations/conversations.service.js';
import { EscalationService } from '../escalation/escalation.service.js';
import { LiveEvents } from '../events/live-events.js';
import type { Locale } from '../knowledge/entry.schema.js';
import type { MatchResult } from '../matching/matcher.js';
import { MatchingService, type MatchFn } from '../matching/matching.service.js';
import { SafetyService } from '../safety/safety.service.js';
import { NO_RISK, nextRisk, type SafetyDecision } from '../safety/screen.js';
import { planReply, type ReplyPlan } from './reply-policy.js';

export interface ChatInput {
  text: string;
  locale?: Locale;
  conversationId?: string;
  /** The secret issued with the conversation; without it, `conversationId` is ignored. */
  resumeToken?: string;
  /** Set by the widget so a message resent after a reconnection is answered once. */
  clientMessageId?: string;
  /** The client's address (for paging: a burst of flags from one address is paged as one). */
  clientAddress?: string;
}

/** How a reply was reached, for staff tools (batch-test) and logs; never sent to visitors. */
export interface ChatTrace {
  decision: SafetyDecision;
  match: MatchResult | null;
  /** The best candidate's confidence, when matching ran. */
  score: number | null;
}

/** What the pipeline decides for one message, before the reply is composed. */
export interface Decision {
  decision: SafetyDecision;
  /** Null when the reply policy did not need the matcher (a crisis, small talk). */
  match: MatchResult | null;
  plan: ReplyPlan;
}

/** Asked after the screen for messages that are not a crisis; false refuses the message. */
export type Admit = (startsConversation: boolean) => Promise<boolean>;

export type ChatOutcome =
  | { reply: Reply & { resumeToken: string }; trace: ChatTrace }
  /** Refused by a limit; `resources` when the message showed distress or the conversation is flagged. */
  | { refused: 'rate_limited'; resources: Resource[] | null };

/** What a reconnecting widget needs to show the conversation again. */
export interface ConversationSnapshot {
  conversationId: string;
  turns: Array<{
    role: 'visitor' | 'bot' | 'staff' | 'notice';
    text?: string;
    at: string;
    reply?: Reply;
    clientMessageId?: string;
  }>;
  flagged: boolean;
  staffPresent: boolean;
}

const SNAPSHOT_TURNS = 50;
/**
 * How long a crisis reply waits for its flag to be stored. Past it, the reply goes out anyway; the flag
 * is stored when the store answers, or kept in memory and the journal if it fails.
 */
const CRISIS_STORE_WAIT_MS = 2000;

/** A keyed hash of a client address: enough to group a burst, not to identify anyone. */
export function sourceKey(address: string | undefined): string | null {
  return address ? createHash('sha256').update(`kap-source:${address}`).digest('hex').slice(0, 16) : null;
}

/**
 * The one pipeline every message goes through, from the socket and from batch-test alike, under the
 * conversation's lock: safety screen -> (limits, never for a crisis) -> reply policy -> matcher ->
 * answer composer, with the conversation's state and escalation on the side.
 */
@Injectable()
export class ChatService {
  private readonly logger = new Logger(ChatService.name);

  constructor(
    @Inject(SafetyService) private readonly safety: SafetyService,
    @Inject(MatchingService) private readonly matching: MatchingService,
    @Inject(AnswerComposer) private readonly composer: AnswerComposer,
    @Inject(ConversationsService) private readonly conversations: ConversationsService,
    @Inject(EscalationService) private readonly escalation: EscalationService,
    @Inject(LiveEvents) private readonly events: LiveEvents,
  ) {}

  async respond(input: ChatInput, admit?: Admit): Promise<ChatOutcome> {
    const locale = input.locale ?? 'en';
    const known = input.conversationId ? await this.conversations.authorize(input.conversationId, input.resumeToken) : undefined;
    if (known) {
      return this.conversations.withLock(known.id, () => this.respondIn(known, input.resumeToken as string, input, admit));
    }
    const { conversation, token } = this.conversations.create(locale);
    return this.conversations.withLock(conversation.id, () => this.respondIn(conversation, token, input, admit));
  }

  private async respondIn(conversation: Conversation, token: string, input: ChatInput, admit?: Admit): Promise<ChatOutcome> {
    const startsConversation = conversation.storedSeq === 0 && conversation.transcript.length === 0;
    // A message sent again after a reconnection gets the reply it already got. Only with the same text:
    // different text under an old id is a new message, and is screened as one.
    const repeated = input.clientMessageId ? this.replyTo(conversation, input.clientMessageId, input.text) : null;
    if (repeated) {
      return {
        reply: { ...repeated, resumeToken: token },
        trace: { decision: repeatedDecision(repeated), match: null, score: null },
      };
    }

    const decision = this.safety.screen(input.text, conversation.risk);
    // Replies follow the language the visitor writes in; the widget's locale is only a hint.
    const smalltalk = this.composer.detectSmalltalkIn(input.text);
    this.conversations.setLocale(conversation, this.languageOf(input, conversation, smalltalk?.locale));
    if (decision.level !== 'crisis' && admit && !(await admit(startsConversation))) {
      if (startsConversation) await this.conversations.forget(conversation.id);
      return { refused: 'rate_limited', resources: this.refusalResources(decision, conversation) };
    }

    const before = {
      flagged: conversation.risk.flagged,
      flagKind: conversation.risk.flagKind,
      staffPresent: conversation.staff.size > 0,
    };
    await this.conversations.append(conversation, {
      role: 'visitor',
      text: input.text,
      risk: decision.level,
      clientMessageId: input.clientMessageId,
    });
    await this.conversations.setRisk(conversation, nextRisk(conversation.risk, input.text, decision));

    let match: MatchResult | null = null;
    const plan = planReply(decision, before, smalltalk?.kind ?? null, () => {
      match = this.matching.match(input.text, conversation.locale);
      return match;
    });
    const context: ReplyContext = {
      locale: conversation.locale,
      risk: decision.level,
      flagged: conversation.risk.flagged,
      alerted: this.escalation.alerted(),
    };
    const reply = this.reply(conversation, plan, context);
    await this.conversations.append(conversation, {
      role: 'bot',
      text: this.composer.transcriptText(reply),
      reply: { plan, context: { ...context } },
    });
    if (decision.level === 'crisis') await this.flag(conversation, decision, input.clientAddress, before.staffPresent);
    this.report(conversation, input.text, { decision, match, plan }, before.flagged);
    const trace = { decision, match, score: (match as MatchResult | null)?.ranked[0]?.score ?? null };
    return { reply: { ...reply, resumeToken: token }, trace };
  }

  /**
   * The language to answer in: the one the message is written in, else (a short or mixed message) the
   * language of a greeting's words, else the widget's locale, else the conversation's. Never throws: a
   * crisis reply must not depend on it.
   */
  private languageOf(input: ChatInput, conversation: Conversation, smalltalkLocale?: Locale): Locale {
    const hint = input.locale ?? conversation.locale;
    try {
      const guess = this.matching.detect(input.text, hint);
      return guess.fromHint && smalltalkLocale ? smalltalkLocale : guess.locale;
    } catch {
      return hint;
    }
  }

  /**
   * The pipeline for one message with no conversation around it: the safety screen, the reply policy and
   * the matcher (the live one, or `match` for a corpus being tried). Nothing is stored, no flag is
   * raised, nothing is reported: for the question tester and the content regression check.
   */
  decide(text: string, locale: Locale, match: MatchFn = (t, l) => this.matching.match(t, l)): Decision {
    const decision = this.safety.screen(text, NO_RISK);
    let result: MatchResult | null = null;
    const plan = planReply(
      decision,
      { flagged: false, flagKind: null, staffPresent: false },
      this.composer.detectSmalltalk(text),
      () => {
        result = match(text, locale);
        return result;
      },
    );
    return { decision, match: result, plan };
  }

  /** `decide`, and the reply composed exactly as a new conversation's widget would receive it. */
  trial(text: string, locale: Locale): Decision & { reply: ReplyBody } {
    const decided = this.decide(text, locale);
    const context: ReplyContext = {
      locale,
      risk: decided.decision.level,
      flagged: decided.decision.level === 'crisis',
      alerted: this.escalation.alerted(),
    };
    return { ...decided, reply: this.composer.compose(decided.plan, context) };
  }

  /** A vote on an answer, for content triage: with the question that got the answer (see insights/). */
  async feedbackGiven(vote: { conversationId: string; resumeToken: string; entryId: string; helpful: boolean }): Promise<void> {
    const conversation = await this.conversations.authorize(vote.conversationId, vote.resumeToken);
    if (!conversation) return;
    const t = conversation.transcript;
    const answer = t.findLastIndex((turn) => turn.reply?.plan.kind === 'answer' && turn.reply.plan.entryId === vote.entryId);
    const question = answer > 0 && t[answer - 1].role === 'visitor' ? t[answer - 1] : null;
    this.events.emit('chat:feedback', {
      at: new Date().toISOString(),
      locale: conversation.locale,
      entryId: vote.entryId,
      helpful: vote.helpful,
      flagged: conversation.risk.flagged,
      question: question ? { text: question.text, level: question.risk ?? null } : null,
    });
  }

  /** Tells content analytics what happened (never fails the reply: a listener's error is only logged). */
  private report(conversation: Conversation, text: string, { decision, match, plan }: Decision, wasFlagged: boolean): void {
    try {
      this.events.emit('chat:outcome', {
        at: new Date().toISOString(),
        locale: conversation.locale,
        text,
        level: decision.level,
        crisisKind: decision.kind,
        flagged: conversation.risk.flagged,
        newlyFlagged: conversation.risk.flagged && !wasFlagged,
        reply: plan.kind,
        entryId: plan.kind === 'answer' ? plan.entryId : null,
        matchReason: match?.reason ?? null,
        candidates: (match?.ranked ?? []).slice(0, 3).map((r) => ({ id: r.entry.id, score: r.score })),
      });
    } catch (err) {
      this.logger.error(`reporting a message outcome failed: ${(err as Error).message}`);
    }
  }

  /**
   * Raises the flag. The crisis reply is already composed: it goes out whatever happens here (the flag
   * waits at most CRISIS_STORE_WAIT_MS for the store; escalation keeps it in memory and the journal if
   * the store fails).
   */
  private async flag(conversation: Conversation, decision: SafetyDecision, address: string | undefined, staffPresent: boolean) {
    const raised = this.escalation.raise({
      conversationId: conversation.id,
      locale: conversation.locale,
      kind: decision.kind ?? 'disclosure',
      reasons: decision.reasons.map((r) => r.rule),
      sourceKey: sourceKey(address),
    });
    const flag = await Promise.race([
      raised,
      new Promise<null>((resolve) => setTimeout(() => resolve(null), CRISIS_STORE_WAIT_MS).unref()),
    ]);
    // The care-team member already in the conversation is alerted at once.
    if (staffPresent) {
      const flagId = flag?.flagId ?? (await raised).flagId;
      this.events.emit('conversation:alert', {
        conversationId: conversation.id,
        flagId,
        kind: decision.kind ?? 'disclosure',
        at: new Date().toISOString(),
      });
    }
  }

  /**
   * For text that failed validation: screened all the same. A crisis gets the crisis reply (null
   * otherwise, and the caller reports the validation error, with the resources when the text showed
   * distress or the conversation is flagged).
   */
  async respondToInvalid(input: ChatInput): Promise<{ reply: ChatOutcome | null; resources: Resource[] | null }> {
    const known = input.conversationId ? await this.conversations.authorize(input.conversationId, input.resumeToken) : undefined;
    const decision = this.safety.screen(input.text, known?.risk ?? NO_RISK);
    if (decision.level === 'crisis') return { reply: await this.respond(input), resources: null };
    return { reply: null, resources: this.refusalResources(decision, known) };
  }

  /** The resources a refused message still gets: when it showed distress, or the conversation is flagged. */
  private refusalResources(decision: SafetyDecision, conversation: Conversation | undefined): Resource[] | null {
    const distressed = decision.level === 'crisis' || decision.level === 'concern';
    if (!distressed && !conversation?.risk.flagged) return null;
    return this.composer.resources(conversation?.locale ?? 'en', conversation?.risk.flagKind === 'imminent');
  }

  /** The conversation's recent turns and state, for a widget that reconnects or reloads; null if unknown. */
  async snapshot(conversationId: string, token: string | undefined): Promise<ConversationSnapshot | null> {
    const conversation = await this.conversations.authorize(conversationId, token);
    if (!conversation) return null;
    return {
      conversationId: conversation.id,
      turns: conversation.transcript
        .slice(-SNAPSHOT_TURNS)
        .map((t) =>
          t.role === 'bot' && t.reply
            ? { role: t.role, at: t.at, reply: this.recompose(conversation, t.reply.plan, t.reply.context) }
            : { role: t.role, text: t.text, at: t.at, clientMessageId: t.clientMessageId },
        ),
      flagged: conversation.risk.flagged,
      staffPresent: conversation.staff.size > 0,
    };
  }

  /**
   * The visitor clears the conversation: forgotten here. A flagged conversation stays stored for the
   * care team (the privacy note says so); only this device's view of it ends.
   */
  async forget(conversationId: string, token: string | undefined): Promise<boolean> {
    const conversation = await this.conversations.authorize(conversationId, token);
    return conversation ? this.conversations.forget(conversation.id) : false;
  }

  async authorized(conversationId: string, token: string | undefined): Promise<boolean> {
    return Boolean(await this.conversations.authorize(conversationId, token));
  }

  /** Whether the visitor holding this token was given an answer from this entry (feedback is checked). */
  async answered(conversationId: string, token: string | undefined, entryId: string): Promise<boolean> {
    const conversation = await this.conversations.authorize(conversationId, token);
    return Boolean(conversation?.transcript.some((t) => t.reply?.plan.kind === 'answer' && t.reply.plan.entryId === entryId));
  }

  private reply(conversation: Conversation, plan: ReplyPlan, context: ReplyContext): Reply {
    return {
      conversationId: conversation.id,
      ...this.composer.compose(plan, context),
      staffPresent: conversation.staff.size > 0,
    };
  }

  private recompose(conversation: Conversation, plan: ReplyPlan, context: ReplyContext): Reply {
    return { conversationId: conversation.id, ...this.composer.compose(plan, context), staffPresent: plan.kind === 'relayed' };
  }

  /** The reply already given to this client message id, if the text is the same. */
  private replyTo(conversation: Conversation, clientMessageId: string, text: string): Reply | null {
    const i = conversation.transcript.findIndex((t) => t.role === 'visitor' && t.clientMessageId === clientMessageId);
    if (i < 0 || conversation.transcript[i].text !== text) return null;
    const bot = conversation.transcript.slice(i + 1).find((t) => t.role === 'bot');
    return bot?.reply ? this.recompose(conversation, bot.reply.plan, bot.reply.context) : null;
  }
}

function repeatedDecision(reply: Reply): SafetyDecision {
  return { level: reply.risk, kind: reply.crisisKind, reasons: [], retraction: false };
}
