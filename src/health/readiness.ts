import { Inject, Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { ChatService } from '../chat/chat.service.js';
import { KnowledgeService } from '../knowledge/knowledge.service.js';
import { Lifecycle } from '../lifecycle/lifecycle.js';
import { Journal } from '../storage/journal.js';
import { StorageService } from '../storage/storage.service.js';

/** A dependency reported beside readiness (the store, Redis when configured): never part of it. */
export interface DependencyReport {
  ok: boolean;
  [detail: string]: unknown;
}

export interface Readiness {
  ready: boolean;
  draining: boolean;
  /** The pipeline answered a crisis message with the crisis resources, without the store. */
  crisisReplies: { ok: boolean; error?: string };
  /** The pipeline answered a question (an answer or the fallback). */
  answers: { ok: boolean; error?: string };
  corpus: { version: string; entries: number };
  dependencies: Record<string, DependencyReport>;
}

/** A crisis sentence every screen lexicon must catch, and an ordinary question. */
const CRISIS_CANARY = 'I want to kill myself';
const QUESTION_CANARY = 'What is ketamine-assisted psychotherapy?';
/** Probes may come often: the pipeline's answer is reused this long. */
const CANARY_TTL_MS = 1000;
const STORE_TIMEOUT_MS = 1000;

/**
 * Whether this instance can answer visitors: its pipeline replies to a crisis message with the crisis
 * resources and to a question, nothing of which needs the store, and it is not shutting down. The store
 * (and whatever else registers, such as Redis) is reported beside it: with the store down, crisis replies
 * still go out and flags wait in the journal, so the instance stays ready.
 */
@Injectable()
export class ReadinessCheck {
  private readonly dependencies = new Map<string, () => Promise<DependencyReport>>();
  private canary: { at: number; crisisReplies: Readiness['crisisReplies']; answers: Readiness['answers'] } | null = null;

  constructor(
    @Inject(ChatService) private readonly chat: ChatService,
    @Inject(KnowledgeService) private readonly knowledge: KnowledgeService,
    @Inject(Lifecycle) private readonly lifecycle: Lifecycle,
    @Inject(StorageService) private readonly storage: StorageService,
    @Inject(Journal) private readonly journal: Journal,
  ) {
    this.register('store', () => this.store());
  }

  /** Adds a dependency to report beside readiness (for example the Redis adapter's connection). */
  register(name: string, check: () => Promise<DependencyReport>): void {
    this.dependencies.set(name, check);
  }

  async check(): Promise<Readiness> {
    const { crisisReplies, answers } = this.pipeline();
    const draining = this.lifecycle.draining;
    const corpus = this.knowledge.current;
    const dependencies: Record<string, DependencyReport> = {};
    await Promise.all(
      [...this.dependencies].map(async ([name, check]) => {
        dependencies[name] = await check().catch((err: Error) => ({ ok: false, error: err.message }));
      }),
    );
    return {
      ready: crisisReplies.ok && answers.ok && !draining,
      draining,
      crisisReplies,
      answers,
      corpus: { version: corpus.version, entries: corpus.entries.length },
      dependencies,
    };
  }

  private pipeline(): { crisisReplies: Readiness['crisisReplies']; answers: Readiness['answers'] } {
    if (this.canary && Date.now() - this.canary.at < CANARY_TTL_MS) return this.canary;
    const crisisReplies = attempt(() => {
      const { decision, reply } = this.chat.trial(CRISIS_CANARY, 'en');
      if (decision.level !== 'crisis' || reply.type !== 'crisis' || reply.resources.length === 0)
        throw new Error(`a crisis message got a ${reply.type} reply`);
    });
    const answers = attempt(() => {
      const { reply } = this.chat.trial(QUESTION_CANARY, 'en');
      if (reply.type !== 'answer' && reply.type !== 'fallback') throw new Error(`a question got a ${reply.type} reply`);
    });
    this.canary = { at: Date.now(), crisisReplies, answers };
    return this.canary;
  }

  private async store(): Promise<DependencyReport> {
    const started = performance.now();
    const answered = await Promise.race([
      sql`select 1`.execute(this.storage.db).then(() => true),
      new Promise<false>((resolve) => setTimeout(() => resolve(false), STORE_TIMEOUT_MS).unref()),
    ]);
    if (!answered) throw new Error(`no answer within ${STORE_TIMEOUT_MS} ms`);
    return { ok: true, ms: Math.round((performance.now() - started) * 10) / 10, journalPending: this.journal.pending };
  }
}

function attempt(check: () => void): { ok: boolean; error?: string } {
  try {
    check();
    return { ok: true };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
}
