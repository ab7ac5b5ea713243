import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Conversation, Turn } from '../chat/conversation-store.js';
import { AppConfig } from '../config/app-config.js';
import type { CrisisKind } from '../safety/lexicon.schema.js';
import type { ConversationRisk, SafetyDecision } from '../safety/screen.js';
import { FlagEvents, type FlagView } from './flag-events.js';
import { FlagsRepository, type FlagRow, type StoredTurn } from './flags.repository.js';
import { OutboxRepository } from './outbox.repository.js';
import { redactContacts } from './redact.js';

export interface RaisedFlag {
  flagId: string;
  /** A person on the care team has been told (a console is open, or paging is configured). */
  staffAlerted: boolean;
}

const KIND_SEVERITY: Record<string, number> = { imminent: 3, disclosure: 2, 'third-party': 1 };

/**
 * Crisis flags that are never lost: the flag, its transcript and its page are written in one
 * transaction before the visitor gets the crisis reply; the page is then delivered from the durable
 * outbox until a webhook answers 2xx, across restarts. On-call consoles hear about it at once.
 */
@Injectable()
export class EscalationService {
  private readonly logger = new Logger(EscalationService.name);

  constructor(
    @Inject(FlagsRepository) private readonly flags: FlagsRepository,
    @Inject(OutboxRepository) private readonly outbox: OutboxRepository,
    @Inject(FlagEvents) private readonly events: FlagEvents,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /** Someone on the care team hears about a flag right away: a console is open, or paging is set up. */
  alerted(): boolean {
    return Boolean(this.config.get('PAGING_WEBHOOK_URL')) || this.events.onCallConsoles > 0;
  }

  async raise(conversation: Conversation, decision: SafetyDecision): Promise<RaisedFlag> {
    const now = new Date().toISOString();
    const kind = decision.kind ?? 'disclosure';
    const reasons = decision.reasons.map((r) => r.rule);
    const existing = await this.flags.openFlagFor(conversation.id);
    if (existing) {
      const moreSevere = (KIND_SEVERITY[kind] ?? 0) > (KIND_SEVERITY[existing.kind] ?? 0);
      const allReasons = [...new Set([...(JSON.parse(existing.reasons) as string[]), ...reasons])];
      await this.flags.db.transaction().execute(async (trx) => {
        await this.flags.update(
          existing.id,
          { kind: moreSevere ? kind : existing.kind, reasons: JSON.stringify(allReasons), updated_at: now },
          trx,
        );
        await this.flags.storeTurns(trx, conversation.id, this.unstored(conversation), true);
      });
      conversation.storedSeq = lastSeq(conversation);
      this.events.emit('flag:updated', await this.view(existing.id));
      return { flagId: existing.id, staffAlerted: this.alerted() };
    }

    const flag: FlagRow = {
      id: randomUUID(),
      conversation_id: conversation.id,
      locale: conversation.locale,
      level: 'crisis',
      kind,
      reasons: JSON.stringify(reasons),
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
    };
    await this.flags.db.transaction().execute(async (trx) => {
      await this.flags.insert(trx, flag);
      // Turns stored earlier (redacted, by configuration) are replaced by the whole transcript.
      await this.flags.replaceTurns(trx, conversation.id, conversation.transcript.map(storable));
      if (this.config.get('PAGING_WEBHOOK_URL')) {
        await this.outbox.enqueue(trx, {
          key: `${flag.id}:primary:flag.new`,
          flagId: flag.id,
          target: 'primary',
          event: 'flag.new',
          payload: this.pagePayload(flag, 'flag.new'),
        });
      }
    });
    conversation.storedSeq = lastSeq(conversation);
    this.logger.warn(`Crisis flag ${flag.id} (${kind}) on conversation ${conversation.id}: ${reasons.join(', ')}`);
    this.events.emit('flag:new', await this.view(flag.id));
    return { flagId: flag.id, staffAlerted: this.alerted() };
  }

  /**
   * After every turn: a flagged conversation's new turns are stored whole and shown live to on-call
   * consoles; other conversations are stored (redacted) only when STORE_ALL_TRANSCRIPTS is on.
   */
  async recordTurn(conversation: Conversation): Promise<void> {
    const turns = this.unstored(conversation);
    if (turns.length === 0) return;
    if (conversation.risk.flagged) {
      await this.flags.storeTurns(this.flags.db, conversation.id, turns, true);
      for (const turn of turns)
        this.events.emit('conversation:turn', { conversationId: conversation.id, turn: publicTurn(turn) });
    } else if (this.config.get('STORE_ALL_TRANSCRIPTS')) {
      await this.flags.storeTurns(this.flags.db, conversation.id, turns, false, redactContacts);
    } else {
      return;
    }
    conversation.storedSeq = lastSeq(conversation);
  }

  /** A flagged conversation's state and transcript after a restart, or null if it was never flagged. */
  async restore(conversationId: string): Promise<{ locale: string; risk: ConversationRisk; transcript: StoredTurn[] } | null> {
    const flag = await this.flags.latestFlagFor(conversationId);
    if (!flag) return null;
    const transcript = await this.flags.turns(conversationId);
    const lastVisitor = [...transcript].reverse().find((t) => t.role === 'visitor');
    return {
      locale: flag.locale,
      transcript,
      risk: {
        flagged: true,
        flagKind: flag.kind as CrisisKind,
        concernTurns: 0,
        previousText: lastVisitor?.text ?? null,
        previousLevel: 'crisis',
      },
    };
  }

  /** The visitor left a phone number or email for follow-up. */
  async setVisitorContact(conversationId: string, contact: string): Promise<boolean> {
    const flag = await this.flags.openFlagFor(conversationId);
    if (!flag) return false;
    await this.flags.update(flag.id, { visitor_contact: contact, updated_at: new Date().toISOString() });
    this.events.emit('flag:updated', await this.view(flag.id));
    return true;
  }

  async unresolved(): Promise<FlagView[]> {
    return Promise.all((await this.flags.unresolved()).map((f) => this.view(f.id)));
  }

  async view(flagId: string): Promise<FlagView> {
    const flag = await this.flags.get(flagId);
    if (!flag) throw new NotFound(`no flag ${flagId}`);
    const transcript = (await this.flags.turns(flag.conversation_id)).map(publicTurn);
    return {
      id: flag.id,
      conversationId: flag.conversation_id,
      level: flag.level,
      kind: flag.kind,
      reason: (JSON.parse(flag.reasons) as string[]).join(', '),
      status: flag.status,
      createdAt: flag.created_at,
      acknowledgedAt: flag.acknowledged_at,
      acknowledgedBy: flag.acknowledged_by,
      escalatedAt: flag.escalated_at,
      resolvedAt: flag.resolved_at,
      visitorContact: flag.visitor_contact,
      transcript,
    };
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
        if (this.config.get('ESCALATION_WEBHOOK_URL') || this.config.get('PAGING_WEBHOOK_URL')) {
          const escalated = { ...flag, escalated_at: at };
          await this.outbox.enqueue(trx, {
            key: `${flag.id}:secondary:flag.escalated`,
            flagId: flag.id,
            target: 'secondary',
            event: 'flag.escalated',
            payload: this.pagePayload(escalated, 'flag.escalated'),
          });
        }
      });
      this.logger.warn(`Flag ${flag.id} not acknowledged in ${this.config.get('ESCALATION_MINUTES')} min: escalated`);
      this.events.emit('flag:updated', await this.view(flag.id));
    }
    return overdue.length;
  }

  /**
   * The page: enough to act on, nothing more. The transcript stays in the console (behind login); a
   * chat or paging tool only learns that there is a flag, how urgent, and where to open it.
   */
  private pagePayload(flag: FlagRow, event: 'flag.new' | 'flag.escalated') {
    const consoleUrl = this.config.get('CONSOLE_URL');
    const link = consoleUrl ? `${consoleUrl.replace(/\/$/, '')}/#flag=${flag.id}` : null;
    const urgency =
      flag.kind === 'imminent' ? 'IMMINENT risk' : flag.kind === 'third-party' ? 'someone else at risk' : 'disclosure';
    const summary = `${event === 'flag.escalated' ? 'ESCALATED (not acknowledged): ' : ''}Crisis flag on the ${this.config.clinic.name} assistant: ${urgency}.`;
    return {
      event,
      id: flag.id,
      conversationId: flag.conversation_id,
      level: flag.level,
      kind: flag.kind,
      createdAt: flag.created_at,
      escalatedAt: flag.escalated_at,
      consoleUrl: link,
      summary,
      text: link ? `${summary} Open the on-call console: ${link}` : `${summary} Open the on-call console.`,
    };
  }

  private unstored(conversation: Conversation): StoredTurn[] {
    return conversation.transcript.filter((t) => t.seq > conversation.storedSeq).map(storable);
  }

  private async require(flagId: string): Promise<FlagRow> {
    const flag = await this.flags.get(flagId);
    if (!flag) throw new NotFound(`no flag ${flagId}`);
    return flag;
  }
}

export class NotFound extends Error {}

function storable(t: Turn): StoredTurn {
  return { seq: t.seq, role: t.role, text: t.text, at: t.at, type: t.type, entryId: t.entryId, risk: t.risk };
}

function publicTurn(t: StoredTurn) {
  return { seq: t.seq, role: t.role, text: t.text, at: t.at };
}

function lastSeq(conversation: Conversation): number {
  return conversation.transcript.at(-1)?.seq ?? conversation.storedSeq;
}
