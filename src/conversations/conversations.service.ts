import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { Cluster } from '../cluster/cluster.js';
import { AppConfig } from '../config/app-config.js';
import { redactContacts } from '../escalation/redact.js';
import { LiveEvents } from '../events/live-events.js';
import type { Locale } from '../knowledge/entry.schema.js';
import type { ConversationRisk } from '../safety/screen.js';
import { Journal } from '../storage/journal.js';
import { lastSeq, newConversation, type Conversation, type Turn } from './conversation.js';
import { ConversationsRepository, type StoredConversation } from './conversations.repository.js';
import { FORGOTTEN, SharedConversations, UNAVAILABLE } from './shared-conversations.js';

/** How many turns a live conversation keeps in memory (a reconnecting widget shows the last 50). */
export const MAX_TURNS = 60;
const JOURNAL_KIND = 'conversation';

interface JournalledConversation {
  conversation: StoredConversation;
  turns: Turn[];
  replace: boolean;
  redact: boolean;
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * The one owner of conversations: every change to a conversation's state goes through this service,
 * under that conversation's lock, so two messages (or a message and a staff action) never interleave.
 * Conversations live in memory and are forgotten after CONVERSATION_IDLE_MINUTES; flagged ones (and all,
 * with STORE_ALL_TRANSCRIPTS) are also written to the store, and come back from it after a restart.
 *
 * Access from visitors needs the resume token issued with the conversation: only its hash is kept, and
 * it is compared in constant time.
 *
 * With several instances (REDIS_URL) the lock is held across every instance, and the conversation's state
 * (risk, recent turns, staff presence) is shared: read again when the lock is taken, written with every
 * change, so whichever instance a message reaches continues the same conversation.
 */
@Injectable()
export class ConversationsService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ConversationsService.name);
  private readonly live = new Map<string, Conversation>();
  private readonly idleMs: number;
  private sweeper: NodeJS.Timeout | null = null;

  constructor(
    @Inject(ConversationsRepository) private readonly repository: ConversationsRepository,
    @Inject(Journal) private readonly journal: Journal,
    @Inject(LiveEvents) private readonly events: LiveEvents,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(Cluster) private readonly cluster: Cluster,
    @Inject(SharedConversations) private readonly shared: SharedConversations | null,
  ) {
    this.idleMs = config.get('CONVERSATION_IDLE_MINUTES') * 60_000;
    journal.register<JournalledConversation>(JOURNAL_KIND, (j) =>
      this.repository.save(j.conversation, j.turns, { replace: j.replace, redact: j.redact ? redactContacts : undefined }),
    );
    // Redis is back: every conversation this instance went on with meanwhile is shared again (see find).
    cluster.onReconnect(() => void this.reshare());
  }

  onApplicationBootstrap(): void {
    this.sweeper = setInterval(() => this.sweep(), Math.min(this.idleMs, 60_000));
    this.sweeper.unref();
  }

  onModuleDestroy(): void {
    if (this.sweeper) clearInterval(this.sweeper);
  }

  /** Runs `task` while holding the conversation's lock (the conversation's shared state read afresh first). */
  withLock<T>(conversationId: string, task: () => Promise<T>): Promise<T> {
    return this.cluster.lock(`conversation:${conversationId}`, async () => {
      if (this.shared) await this.find(conversationId);
      return task();
    });
  }

  /** A new conversation and its resume token (the token is given out once and never stored). */
  create(locale: Locale): { conversation: Conversation; token: string } {
    const token = randomBytes(24).toString('base64url');
    const conversation = newConversation(randomUUID(), locale, tokenHash(token));
    this.live.set(conversation.id, conversation);
    return { conversation, token };
  }

  /**
   * The conversation, when the token is its resume token (live, or brought back from the store after a
   * restart); undefined otherwise, without saying whether the id exists.
   */
  async authorize(conversationId: string, token: string | undefined): Promise<Conversation | undefined> {
    if (!token) return undefined;
    const conversation = await this.find(conversationId);
    if (!conversation) return undefined;
    const expected = Buffer.from(conversation.tokenHash, 'hex');
    const given = Buffer.from(tokenHash(token), 'hex');
    return expected.length === given.length && timingSafeEqual(expected, given) ? conversation : undefined;
  }

  /** A live conversation, or a stored one brought back (for staff, who are authorised by their role). */
  async find(conversationId: string): Promise<Conversation | undefined> {
    const shared = this.shared ? await this.shared.load(conversationId) : UNAVAILABLE;
    if (shared && shared !== UNAVAILABLE && shared !== FORGOTTEN) {
      const copy = this.live.get(conversationId);
      // This instance went on while Redis could not be reached: its copy is the newer one.
      if (copy && lastSeq(copy) > lastSeq(shared)) {
        await this.shared?.save(copy);
        return copy;
      }
      // Otherwise this instance's copy becomes the shared state (callers keep the same object).
      if (!copy) this.live.set(conversationId, shared);
      return copy ? Object.assign(copy, shared) : shared;
    }
    const live = this.live.get(conversationId);
    // Cleared by the visitor on another instance: this copy is gone too (the store may keep a flagged one).
    if (shared === FORGOTTEN) this.live.delete(conversationId);
    else if (live) {
      // Redis lost it (restarted) or was unreachable when it began: this copy is shared (again) from now.
      if (shared === undefined && lastSeq(live) > 0) await this.shared?.restore(live);
      return live;
    }
    const stored = await this.repository.find(conversationId).catch((err: Error) => {
      this.logger.error(`cannot read conversation ${conversationId} from the store: ${err.message}`);
      return undefined;
    });
    if (!stored) return undefined;
    // Another caller may have restored it while this one waited for the store.
    const again = this.live.get(conversationId);
    if (again) return again;
    const turns = await this.repository.turns(conversationId, MAX_TURNS);
    const conversation: Conversation = {
      ...newConversation(stored.id, stored.locale, stored.tokenHash),
      risk: stored.risk,
      transcript: turns,
    };
    Object.assign(conversation, { createdAt: stored.createdAt });
    conversation.storedSeq = lastSeq(conversation);
    this.live.set(conversationId, conversation);
    await this.shared?.restore(conversation);
    return conversation;
  }

  /** The turns of a stored conversation (the staff's transcript view), or the live ones. */
  async transcript(conversationId: string): Promise<Turn[]> {
    const stored = await this.repository.turns(conversationId);
    if (stored.length) return stored;
    return this.live.get(conversationId)?.transcript ?? [];
  }

  setLocale(conversation: Conversation, locale: Locale): void {
    conversation.locale = locale;
  }

  /**
   * Appends a turn. Flagged conversations (and all, with STORE_ALL_TRANSCRIPTS) are written to the store
   * right away; if the store fails, the journal keeps them until it works again.
   */
  async append(conversation: Conversation, turn: Omit<Turn, 'at' | 'seq'>): Promise<Turn> {
    const full: Turn = { ...turn, seq: lastSeq(conversation) + 1, at: new Date().toISOString() };
    conversation.transcript.push(full);
    if (conversation.transcript.length > MAX_TURNS) conversation.transcript.splice(0, conversation.transcript.length - MAX_TURNS);
    conversation.updatedAt = Date.now();
    await this.shared?.save(conversation, full);
    await this.persist(conversation, false);
    // On-call consoles follow flagged conversations live.
    if (conversation.risk.flagged) this.emitTurn(conversation.id, full);
    return full;
  }

  /** The screen's new state; a conversation that becomes flagged is stored whole (unredacted) at once. */
  async setRisk(conversation: Conversation, risk: ConversationRisk): Promise<void> {
    const newlyFlagged = risk.flagged && !conversation.risk.flagged;
    conversation.risk = risk;
    await this.shared?.save(conversation);
    if (!newlyFlagged) return;
    await this.persist(conversation, true);
    for (const turn of conversation.transcript) this.emitTurn(conversation.id, turn);
  }

  private emitTurn(conversationId: string, turn: Turn): void {
    this.events.emit('conversation:turn', {
      conversationId,
      turn: { seq: turn.seq, role: turn.role, text: turn.text, at: turn.at, ...(turn.staffId ? { staffId: turn.staffId } : {}) },
    });
  }

  /** A care-team member's console joins (idempotent per presence key). */
  async join(conversation: Conversation, presenceKey: string, staffId: string): Promise<boolean> {
    if (conversation.staff.has(presenceKey)) return false;
    conversation.staff.set(presenceKey, staffId);
    await this.shared?.setStaff(conversation.id, presenceKey, staffId);
    return true;
  }

  /** A console leaves; true when it was there. */
  async leave(conversation: Conversation, presenceKey: string): Promise<boolean> {
    const left = conversation.staff.delete(presenceKey);
    if (left) await this.shared?.setStaff(conversation.id, presenceKey, null);
    return left;
  }

  /** The conversations a console (presence key) is in, e.g. to leave them when it disconnects. */
  async joinedBy(presenceKey: string): Promise<string[]> {
    const here = [...this.live.values()].filter((c) => c.staff.has(presenceKey)).map((c) => c.id);
    return this.shared ? [...new Set([...here, ...(await this.shared.joinedBy(presenceKey))])] : here;
  }

  /** The visitor clears the conversation: forgotten here (a flagged one stays stored for the care team). */
  async forget(conversationId: string): Promise<boolean> {
    await this.shared?.remove(conversationId);
    return this.live.delete(conversationId);
  }

  /** Live conversations (metrics, tests). */
  get size(): number {
    return this.live.size;
  }

  private async persist(conversation: Conversation, replace: boolean): Promise<void> {
    const flagged = conversation.risk.flagged;
    if (!flagged && !this.config.get('STORE_ALL_TRANSCRIPTS')) return;
    const turns = replace ? conversation.transcript : conversation.transcript.filter((t) => t.seq > conversation.storedSeq);
    if (turns.length === 0 && !replace) return;
    const stored: StoredConversation = {
      id: conversation.id,
      locale: conversation.locale,
      tokenHash: conversation.tokenHash,
      risk: conversation.risk,
      flagged,
      createdAt: conversation.createdAt,
    };
    const redact = !flagged;
    conversation.storedSeq = lastSeq(conversation);
    try {
      await this.repository.save(stored, turns, { replace, redact: redact ? redactContacts : undefined });
    } catch (err) {
      this.logger.error(`cannot store conversation ${conversation.id}: ${(err as Error).message}; journalled`);
      this.journal.append(JOURNAL_KIND, { conversation: stored, turns, replace, redact } satisfies JournalledConversation);
    }
  }

  private async reshare(): Promise<void> {
    const ids = [...this.live.keys()];
    for (const id of ids) await this.withLock(id, async () => undefined).catch(() => undefined);
    this.logger.log(`Redis is back: ${ids.length} live conversation(s) read or shared again`);
  }

  private sweep(): void {
    const cutoff = Date.now() - this.idleMs;
    for (const [id, c] of this.live) if (c.updatedAt < cutoff && c.staff.size === 0) this.live.delete(id);
  }
}
