import type { ReplyContext } from '../answers/answer-composer.js';
import type { ReplyPlan } from '../chat/reply-policy.js';
import type { Locale } from '../knowledge/entry.schema.js';
import type { RiskLevel } from '../safety/lexicon.schema.js';
import { NO_RISK, type ConversationRisk } from '../safety/screen.js';

/**
 * How to show a bot reply again (after a reload, or from the store after a restart): the reply is
 * composed anew from this, so a conversation keeps a few bytes per reply instead of its HTML.
 */
export interface ReplyRecord {
  /** The reply policy's decision (see chat/reply-policy.ts). */
  plan: ReplyPlan;
  /** What the composer needs besides the plan (locale, risk, flagged, alerted). */
  context: ReplyContext;
}

export interface Turn {
  /** Position in the conversation, counting from 1; never reused. */
  seq: number;
  role: 'visitor' | 'bot' | 'staff' | 'notice';
  /** Plain text (for a bot reply, its text as staff read it in the transcript). */
  text: string;
  at: string;
  /** Visitor turns: the screen's level. */
  risk?: RiskLevel;
  clientMessageId?: string;
  /** Bot turns: how to compose the reply again. */
  reply?: ReplyRecord;
  /** Staff turns: who wrote it. */
  staffId?: string;
}

export interface Conversation {
  readonly id: string;
  locale: Locale;
  /** SHA-256 of the resume token that only the visitor's widget holds. */
  readonly tokenHash: string;
  readonly createdAt: string;
  updatedAt: number;
  risk: ConversationRisk;
  /** The most recent turns (bounded; flagged conversations keep all of theirs in the store). */
  transcript: Turn[];
  /** The last turn written to the store. */
  storedSeq: number;
  /** Care-team members in the conversation: presence key (one per console connection) -> staff id. */
  staff: Map<string, string>;
}

export function newConversation(id: string, locale: Locale, tokenHash: string): Conversation {
  return {
    id,
    locale,
    tokenHash,
    createdAt: new Date().toISOString(),
    updatedAt: Date.now(),
    risk: { ...NO_RISK },
    transcript: [],
    storedSeq: 0,
    staff: new Map(),
  };
}

export function lastSeq(conversation: Conversation): number {
  return conversation.transcript.at(-1)?.seq ?? conversation.storedSeq;
}
