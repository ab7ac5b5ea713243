import { Inject, Injectable } from '@nestjs/common';
import { StorageService } from '../storage/storage.service.js';

export type AuditAction =
  | 'login'
  | 'logout'
  | 'flag.list'
  | 'flag.view'
  | 'flag.acknowledge'
  | 'flag.resolve'
  | 'conversation.join'
  | 'conversation.message'
  | 'conversation.leave'
  | 'corpus.draft'
  | 'corpus.publish'
  | 'corpus.test-question'
  | 'triage.resolve';

/**
 * One action on a flag or its conversation, as the on-call console shows it in the flag's trail: who and
 * when, never message text (only the resolution note, which staff wrote for staff).
 */
export interface FlagActivity {
  id: number;
  at: string;
  action: AuditAction;
  staffId: string | null;
  flagId: string | null;
  conversationId: string | null;
  note?: string;
}

/** Actions that belong to a flag's trail (sign-ins and queue listings do not). */
const TRAIL_ACTIONS: AuditAction[] = [
  'flag.view',
  'flag.acknowledge',
  'flag.resolve',
  'conversation.join',
  'conversation.message',
  'conversation.leave',
];

/** The append-only audit log (the database refuses updates and deletes to it). */
@Injectable()
export class AuditLog {
  constructor(@Inject(StorageService) private readonly storage: StorageService) {}

  async record(entry: {
    staffId: string | null;
    action: AuditAction;
    flagId?: string | null;
    conversationId?: string | null;
    detail?: object;
  }): Promise<FlagActivity> {
    const at = new Date().toISOString();
    const { id } = await this.storage.db
      .insertInto('audit_log')
      .values({
        at,
        staff_id: entry.staffId,
        action: entry.action,
        flag_id: entry.flagId ?? null,
        conversation_id: entry.conversationId ?? null,
        detail: JSON.stringify(entry.detail ?? {}),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return toActivity({
      id: Number(id),
      at,
      staff_id: entry.staffId,
      action: entry.action,
      flag_id: entry.flagId ?? null,
      conversation_id: entry.conversationId ?? null,
      detail: JSON.stringify(entry.detail ?? {}),
    });
  }

  async entries(filter: { flagId?: string } = {}) {
    let q = this.storage.db.selectFrom('audit_log').selectAll().orderBy('id', 'asc');
    if (filter.flagId) q = q.where('flag_id', '=', filter.flagId);
    return q.execute();
  }

  /**
   * A flag's trail, oldest first: the actions recorded on the flag, and those on its conversation
   * (join, message, leave) since the flag was raised (a conversation can have had an earlier flag).
   */
  async trail(flag: { id: string; conversationId: string; createdAt: string }): Promise<FlagActivity[]> {
    const rows = await this.storage.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', 'in', TRAIL_ACTIONS)
      .where((eb) =>
        eb.or([
          eb('flag_id', '=', flag.id),
          eb.and([eb('flag_id', 'is', null), eb('conversation_id', '=', flag.conversationId), eb('at', '>=', flag.createdAt)]),
        ]),
      )
      .orderBy('id', 'asc')
      .execute();
    return rows.map(toActivity);
  }
}

/** Whether an audited action belongs in a flag's trail. */
export function inTrail(activity: FlagActivity): boolean {
  return TRAIL_ACTIONS.includes(activity.action) && Boolean(activity.flagId ?? activity.conversationId);
}

function toActivity(row: {
  id: number;
  at: string;
  staff_id: string | null;
  action: string;
  flag_id: string | null;
  conversation_id: string | null;
  detail: string;
}): FlagActivity {
  const detail = JSON.parse(row.detail || '{}') as { note?: unknown };
  return {
    id: Number(row.id),
    at: row.at,
    action: row.action as AuditAction,
    staffId: row.staff_id,
    flagId: row.flag_id,
    conversationId: row.conversation_id,
    ...(row.action === 'flag.resolve' && typeof detail.note === 'string' ? { note: detail.note } : {}),
  };
}
