import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import type { CrisisKind } from '../safety/lexicon.schema.js';
import { Journal } from '../storage/journal.js';
import { LiveEvents, type FlagView, type PagingState } from '../events/live-events.js';
import { FlagsRepository, type FlagRow } from './flags.repository.js';
import { OutboxRepository, type OutboxItem, type OutboxRow } from './outbox.repository.js';
import { PagingStatus } from './paging-status.js';

/** A crisis message, as escalation needs it: no transcript (the conversations module stores that). */
export interface FlagRequest {
  conversationId: string;
  locale: string;
  kind: CrisisKind;
  /** The safety rules that decided, for staff. */
  reasons: string[];
  /** Keyed hash of the client address (see `sourceKey`): bursts from one address are paged as one. */
  sourceKey: string | null;
}

export const KIND_SEVERITY: Record<string, number> = { imminent: 3, disclosure: 2, 'third-party': 1 };
const JOURNAL_FLAG = 'flag';
const JOURNAL_PAGE_DELIVERED = 'page-delivered';

interface JournalledFlag {
  flag: FlagRow;
  page: OutboxItem | null;
}

/**
 * Crisis flags that are never lost. A flag and its page are written to the store in one transaction; if
 * the store fails, the flag is kept in memory, shown to consoles and paged from memory, and written to the
 * local journal, which replays it into the store when the store works again (also after a restart). The
 * caller (the chat pipeline) sends the crisis reply whatever happens here: this service never throws from
 * `raise`. One open flag per conversation (the database enforces it); later crisis messages update it.
 */
@Injectable()
export class EscalationService {
  private readonly logger = new Logger(EscalationService.name);
  /** Flags that could not be stored yet (the journal holds them too). */
  private readonly unstored = new Map<string, FlagRow>();
  /** Pages of unstored flags, delivered from memory by the outbox worker. */
  readonly memoryPages = new Map<string, OutboxItem & { attempts: number; nextAttemptAt: number }>();

  constructor(
    @Inject(FlagsRepository) private readonly flags: FlagsRepository,
    @Inject(OutboxRepository) private readonly outbox: OutboxRepository,
    @Inject(LiveEvents) private readonly events: LiveEvents,
    @Inject(PagingStatus) private readonly paging: PagingStatus,
    @Inject(Journal) private readonly journal: Journal,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {
    journal.register<JournalledFlag>(JOURNAL_FLAG, (j) => this.replayFlag(j));
    journal.register<{ key: string }>(JOURNAL_PAGE_DELIVERED, ({ key }) => this.outbox.deliveredByKey(key));
    // After a restart during an outage, flags still in the journal are shown and paged from memory again.
    for (const { key } of journal.pendingOf<{ key: string }>(JOURNAL_PAGE_DELIVERED)) this.deliveredFromMemory.add(key);
    for (const { flag, page } of journal.pendingOf<JournalledFlag>(JOURNAL_FLAG)) {
      this.unstored.set(flag.id, { ...this.unstored.get(flag.id), ...flag });
      if (page && !this.deliveredFromMemory.has(page.key))
        this.memoryPages.set(page.key, { ...page, attempts: 0, nextAttemptAt: Date.now() });
    }
  }

  /**
   * Someone on the care team hears about a flag right away: an on-call console is open, or paging is
   * configured and not known to be failing.
   */
  alerted(): boolean {
    return this.paging.working || this.events.consolesOpen > 0;
  }

  /** Raises still being written (a graceful shutdown waits for them before closing the store). */
  private readonly raising = new Set<Promise<unknown>>();

  /** Resolves when every raise started so far has been stored, or kept in memory and the journal. */
  async settled(): Promise<void> {
    while (this.raising.size) await Promise.all([...this.raising]);
  }

  /** Unresolved flags: stored ones and those waiting in memory for the store (metrics). */
  async unresolvedCount(): Promise<number> {
    return this.unstored.size + (await this.flags.countUnresolved());
  }

  /** Raises (or updates) the conversation's flag. Never throws: failures end in memory and the journal. */
  raise(request: FlagRequest): Promise<{ flagId: string }> {
    const raised = this.raiseNow(request);
    this.raising.add(raised);
    void raised.finally(() => this.raising.delete(raised));
    return raised;
  }

  private async raiseNow(request: FlagRequest): Promise<{ flagId: string }> {
    const now = new Date().toISOString();
    const memory = [...this.unstored.values()].find((f) => f.conversation_id === request.conversationId);
    if (memory) return { flagId: this.updateInMemory(memory, request, now) };
    try {
      const existing = await this.flags.openFlagFor(request.conversationId);
      if (existing) return { flagId: await this.update(existing, request, now) };
      const flag = this.newFlag(request, now);
      const page = this.paging.configured ? this.page(flag, 'flag.new', 'primary') : null;
      const inserted = await this.flags.db.transaction().execute(async (trx) => {
        if (!(await this.flags.insertIfNone(trx, flag))) return false;
        if (page) await this.outbox.enqueue(trx, page);
        return true;
      });
      if (!inserted) {
        // Another process flagged this conversation a moment ago: update that flag instead.
        const other = await this.flags.openFlagFor(request.conversationId);
        if (other) return { flagId: await this.update(other, request, now) };
      }
      this.logger.warn(`Crisis flag ${flag.id} (${flag.kind}): ${request.reasons.join(', ')}`);
      this.events.emit('flag:new', await this.view(flag.id));
      return { flagId: flag.id };
    } catch (err) {
      return { flagId: this.keepInMemory(request, now, err as Error) };
    }
  }

  /** The store failed: consoles and the pager work from memory, the journal keeps the flag for later. */
  private keepInMemory(request: FlagRequest, now: string, err: Error): string {
    const flag = this.newFlag(request, now);
    const page = this.paging.configured ? this.page(flag, 'flag.new', 'primary') : null;
    this.unstored.set(flag.id, flag);
    if (page) this.memoryPages.set(page.key, { ...page, attempts: 0, nextAttemptAt: Date.now() });
    const journalled = this.journal.append(JOURNAL_FLAG, { flag, page } satisfies JournalledFlag);
    this.logger.error(
      `Crisis flag ${flag.id} could not be stored (${err.message}): shown to consoles and paged from memory; ${journalled ? 'kept in the local journal until the store works again' : 'the journal failed too: it lives in memory only'}`,
    );
    this.events.emit('flag:new', this.toView(flag, page ? 'pending' : 'not-configured', false));
    return flag.id;
  }

  private updateInMemory(flag: FlagRow, request: FlagRequest, now: string): string {
    Object.assign(flag, this.merged(flag, request, now));
    this.journal.append(JOURNAL_FLAG, { flag, page: null } satisfies JournalledFlag);
    this.events.emit('flag:updated', this.toView(flag, this.memoryPagingState(flag.id), false));
    return flag.id;
  }

  private async update(existing: FlagRow, request: FlagRequest, now: string): Promise<string> {
    await this.flags.update(existing.id, this.merged(existing, request, now));
    this.events.emit('flag:updated', await this.view(existing.id));
    return existing.id;
  }

  /** A later crisis message raises the kind when more severe, and adds its reasons. */
  private merged(existing: FlagRow, request: FlagRequest, now: string): Partial<FlagRow> {
    const moreSevere = (KIND_SEVERITY[request.kind] ?? 0) > (KIND_SEVERITY[existing.kind] ?? 0);
    const reasons = [...new Set([...(JSON.parse(existing.reasons) as string[]), ...request.reasons])];
    return { kind: moreSevere ? request.kind : existing.kind, reasons: JSON.stringify(reasons), updated_at: now };
  }

  /** Replays a journalled flag (idempotent: a flag already stored is updated, its page queued once). */
  private async replayFlag({ flag, page }: JournalledFlag): Promise<void> {
    await this.flags.db.transaction().execute(async (trx) => {
      const stored = await this.flags.get(flag.id, trx);
      if (stored) await this.flags.update(flag.id, { kind: flag.kind, reasons: flag.reasons, updated_at: flag.updated_at }, trx);
      else if (!(await this.flags.insertIfNone(trx, flag))) {
        // The conversation got another open flag meanwhile (another instance): keep this one as resolved history.
        await this.flags.insertIfNone(trx, {
          ...flag,
          status: 'resolved',
          resolved_at: flag.updated_at,
          resolution_note: 'merged',
        });
      }
      if (page) {
        const delivered = !this.memoryPages.has(page.key) && this.deliveredFromMemory.has(page.key);
        await this.outbox.enqueue(trx, page, delivered ? 'delivered' : 'pending');
      }
    });
    this.unstored.delete(flag.id);
    if (page) this.memoryPages.delete(page.key);
    this.events.emit('flag:updated', await this.view(flag.id));
  }

  private readonly deliveredFromMemory = new Set<string>();

  /** The outbox worker delivered a page of an unstored flag. */
  memoryPageDelivered(key: string): void {
    this.memoryPages.delete(key);
    this.deliveredFromMemory.add(key);
    this.journal.append(JOURNAL_PAGE_DELIVERED, { key });
  }

  /** Tells consoles a flag changed (the worker, when its paging fails for good). */
  notifyUpdated(view: FlagView): void {
    this.events.emit('flag:updated', view);
  }

  /** The visitor left a phone number or email for follow-up. */
  async setVisitorContact(conversationId: string, contact: string): Promise<boolean> {
    const flag = await this.flags.openFlagFor(conversationId);
    if (!flag) return false;
    await this.flags.update(flag.id, { visitor_contact: contact, updated_at: new Date().toISOString() });
    this.events.emit('flag:updated', await this.view(flag.id));
    return true;
  }

  /** The open flag of a conversation, if any (stored or in memory). */
  async openFlagId(conversationId: string): Promise<string | null> {
    const memory = [...this.unstored.values()].find((f) => f.conversation_id === conversationId);
    if (memory) return memory.id;
    return (await this.flags.openFlagFor(conversationId))?.id ?? null;
  }

  /** Unresolved flags, stored and unstored (only the unstored ones while the store cannot be read). */
  async unresolved(): Promise<FlagView[]> {
    const memory = [...this.unstored.values()].map((f) => this.toView(f, this.memoryPagingState(f.id), false));
    try {
      const rows = await this.flags.unresolved();
      const paging = await this.pagingStates(rows.map((r) => r.id));
      return [...memory, ...rows.map((f) => this.toView(f, paging.get(f.id) ?? this.noPage(), true))];
    } catch (err) {
      this.logger.error(
        `cannot read flags from the store (${(err as Error).message}): listing the ${memory.length} kept in memory`,
      );
      return memory;
    }
  }

  async view(flagId: string): Promise<FlagView> {
    const memory = this.unstored.get(flagId);
    if (memory) return this.toView(memory, this.memoryPagingState(flagId), false);
    const flag = await this.require(flagId);
    const paging = await this.pagingStates([flagId]);
    return this.toView(flag, paging.get(flagId) ?? this.noPage(), true);
  }

  async acknowledge(flagId: string, staffId: string): Promise<FlagView> {
    const flag = await this.require(flagId);
    if (flag.status === 'open') {
      const now = new Date().toISOString();
      await this.flags.update(flagId, {
        status: 'acknowledged',
        acknowledged_at: now,
        acknowledged_by: staffId,
        updated_at: now,
      });
    }
    const view = await this.view(flagId);
    this.events.emit('flag:updated', view);
    return view;
  }

  async resolve(flagId: string, staffId: string, note: string): Promise<FlagView> {
    await this.require(flagId);
    const now = new Date().toISOString();
    await this.flags.update(flagId, {
      status: 'resolved',
      resolved_at: now,
      resolved_by: staffId,
      resolution_note: note,
      updated_at: now,
    });
    const view = await this.view(flagId);
    this.events.emit('flag:updated', view);
    return view;
  }

  /** Flags nobody acknowledged in time page the secondary target (or the primary again). */
  async escalateOverdue(now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - this.config.get('ESCALATION_MINUTES') * 60_000).toISOString();
    const overdue = await this.flags.dueForEscalation(cutoff);
    for (const flag of overdue) {
      const at = now.toISOString();
      await this.flags.db.transaction().execute(async (trx) => {
        await this.flags.update(flag.id, { escalated_at: at, updated_at: at }, trx);
        if (this.paging.configured)
          await this.outbox.enqueue(trx, this.page({ ...flag, escalated_at: at }, 'flag.escalated', 'secondary'));
      });
      this.logger.warn(`Flag ${flag.id} not acknowledged in ${this.config.get('ESCALATION_MINUTES')} min: escalated`);
      this.events.emit('flag:updated', await this.view(flag.id));
    }
    return overdue.length;
  }

  private newFlag(request: FlagRequest, now: string): FlagRow {
    return {
      id: randomUUID(),
      conversation_id: request.conversationId,
      locale: request.locale,
      level: 'crisis',
      kind: request.kind,
      reasons: JSON.stringify(request.reasons),
      status: 'open',
      created_at: now,
      updated_at: now,
      acknowledged_at: null,
      acknowledged_by: null,
      resolved_at: null,
      resolved_by: null,
      resolution_note: null,
      escalated_at: null,
      visitor_contact: null,
      source_key: request.sourceKey,
    };
  }

  /**
   * The page: enough to act on, nothing more. It carries the flag id only: the conversation, its
   * transcript and the visitor stay behind the console's login.
   */
  private page(flag: FlagRow, event: 'flag.new' | 'flag.escalated', target: OutboxRow['target']): OutboxItem {
    const consoleUrl = this.config.get('CONSOLE_URL');
    const link = consoleUrl ? `${consoleUrl.replace(/\/$/, '')}/#flag=${flag.id}` : null;
    const urgency =
      flag.kind === 'imminent' ? 'IMMINENT risk' : flag.kind === 'third-party' ? 'someone else at risk' : 'disclosure';
    const summary = `${event === 'flag.escalated' ? 'ESCALATED (not acknowledged): ' : ''}Crisis flag on the chat assistant${this.config.clinic.name ? ` (${this.config.clinic.name})` : ''}: ${urgency}.`;
    return {
      key: `${flag.id}:${target}:${event}`,
      flagId: flag.id,
      target,
      event,
      priority: KIND_SEVERITY[flag.kind] ?? 0,
      sourceKey: flag.source_key,
      giveUpAt: new Date(Date.now() + this.config.get('PAGING_GIVE_UP_HOURS') * 3_600_000).toISOString(),
      payload: {
        event,
        id: flag.id,
        flagIds: [flag.id],
        level: flag.level,
        kind: flag.kind,
        createdAt: flag.created_at,
        escalatedAt: flag.escalated_at,
        consoleUrl: link,
        summary,
        text: link ? `${summary} Open the on-call console: ${link}` : `${summary} Open the on-call console.`,
      },
    };
  }

  private memoryPagingState(flagId: string): PagingState {
    const page = [...this.memoryPages.values()].find((p) => p.flagId === flagId);
    if (page) return page.attempts > 0 ? 'retrying' : 'pending';
    return [...this.deliveredFromMemory].some((k) => k.startsWith(`${flagId}:`)) ? 'delivered' : this.noPage();
  }

  private noPage(): PagingState {
    return this.paging.configured ? 'pending' : 'not-configured';
  }

  /** Each flag's paging state, from its pages in the outbox. */
  private async pagingStates(flagIds: string[]): Promise<Map<string, PagingState>> {
    const states = new Map<string, PagingState>();
    for (const row of await this.outbox.forFlags(flagIds)) {
      const state: PagingState =
        row.status === 'failed' ? 'failed' : row.status === 'delivered' ? 'delivered' : row.attempts > 0 ? 'retrying' : 'pending';
      const rank = (s: PagingState | undefined) => (s ? ['delivered', 'pending', 'retrying', 'failed'].indexOf(s) : -1);
      // The worst state of a flag's pages is the one staff must see.
      if (rank(state) > rank(states.get(row.flag_id))) states.set(row.flag_id, state);
    }
    return states;
  }

  private toView(flag: FlagRow, paging: PagingState, stored: boolean): FlagView {
    return {
      id: flag.id,
      conversationId: flag.conversation_id,
      locale: flag.locale,
      level: flag.level,
      kind: flag.kind,
      reason: (JSON.parse(flag.reasons) as string[]).join(', '),
      status: flag.status,
      createdAt: flag.created_at,
      updatedAt: flag.updated_at,
      acknowledgedAt: flag.acknowledged_at,
      acknowledgedBy: flag.acknowledged_by,
      escalatedAt: flag.escalated_at,
      resolvedAt: flag.resolved_at,
      resolvedBy: flag.resolved_by,
      resolutionNote: flag.resolution_note,
      visitorContact: flag.visitor_contact,
      paging,
      stored,
    };
  }

  private async require(flagId: string): Promise<FlagRow> {
    const flag = await this.flags.get(flagId);
    if (!flag) throw new NotFound(`no flag ${flagId}`);
    return flag;
  }
}

export class NotFound extends Error {}
