import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import type { Reply } from '../answers/reply.js';
import type { Locale } from '../knowledge/entry.schema.js';
import type { RiskLevel } from '../safety/lexicon.schema.js';
import { NO_RISK, type ConversationRisk } from '../safety/screen.js';

export interface Turn {
  /** Position in the conversation, counting from 1; never reused. */
  seq: number;
  role: 'visitor' | 'bot' | 'staff' | 'notice';
  /** Plain text (a bot reply's HTML reduced to text). */
  text: string;
  at: string;
  /** For bot turns: the reply type and entry; for visitor turns: the screen's level. */
  type?: string;
  entryId?: string | null;
  risk?: RiskLevel;
  /** For bot turns: the whole reply, so a reconnecting widget can show it again. */
  reply?: Reply;
  clientMessageId?: string;
}

export interface Conversation {
  id: string;
  locale: Locale;
  createdAt: string;
  updatedAt: number;
  risk: ConversationRisk;
  transcript: Turn[];
  /** The last turn stored durably (flagged conversations, or all with STORE_ALL_TRANSCRIPTS). */
  storedSeq: number;
  /** Care-team members currently in the conversation. */
  staffPresent: number;
}

/** How many turns a live conversation keeps in memory. */
const MAX_TURNS = 200;

function newConversation(id: string, locale: Locale): Conversation {
  return {
    id,
    locale,
    createdAt: new Date().toISOString(),
    updatedAt: Date.now(),
    risk: { ...NO_RISK },
    transcript: [],
    storedSeq: 0,
    staffPresent: 0,
  };
}

/**
 * Live conversations, in memory only: a conversation that is not flagged is forgotten when it has been
 * idle for CONVERSATION_IDLE_MINUTES. Flagged conversations are also stored durably by the escalation
 * module. Ids are issued here, never chosen by clients.
 */
@Injectable()
export class ConversationStore implements OnModuleDestroy {
  private readonly conversations = new Map<string, Conversation>();
  private readonly idleMs: number;
  private readonly sweeper: NodeJS.Timeout;

  constructor(@Inject(AppConfig) config: AppConfig) {
    this.idleMs = config.get('CONVERSATION_IDLE_MINUTES') * 60_000;
    this.sweeper = setInterval(() => this.sweep(), Math.min(this.idleMs, 60_000));
    this.sweeper.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
  }

  /** The conversation with this id, or a new one (with a new id) when the id is missing or unknown. */
  resume(id: string | undefined, locale: Locale): Conversation {
    const existing = id ? this.conversations.get(id) : undefined;
    if (existing) {
      existing.updatedAt = Date.now();
      existing.locale = locale;
      return existing;
    }
    const conversation = newConversation(randomUUID(), locale);
    this.conversations.set(conversation.id, conversation);
    return conversation;
  }

  get(id: string): Conversation | undefined {
    return this.conversations.get(id);
  }

  /** Puts a conversation back (after a restart, from durable storage) under its original id. */
  restore(id: string, locale: Locale, risk: ConversationRisk, transcript: Turn[]): Conversation {
    const conversation = { ...newConversation(id, locale), risk, transcript };
    conversation.storedSeq = transcript.at(-1)?.seq ?? 0;
    this.conversations.set(id, conversation);
    return conversation;
  }

  forget(id: string): boolean {
    return this.conversations.delete(id);
  }

  append(conversation: Conversation, turn: Omit<Turn, 'at' | 'seq'>): Turn {
    const full = {
      ...turn,
      seq: (conversation.transcript.at(-1)?.seq ?? conversation.storedSeq) + 1,
      at: new Date().toISOString(),
    };
    conversation.transcript.push(full);
    if (conversation.transcript.length > MAX_TURNS) conversation.transcript.splice(0, conversation.transcript.length - MAX_TURNS);
    conversation.updatedAt = Date.now();
    return full;
  }

  private sweep(): void {
    const cutoff = Date.now() - this.idleMs;
    for (const [id, c] of this.conversations) if (c.updatedAt < cutoff && c.staffPresent === 0) this.conversations.delete(id);
  }
}
