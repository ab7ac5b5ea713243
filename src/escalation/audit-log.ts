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
  }): Promise<void> {
    await this.storage.db
      .insertInto('audit_log')
      .values({
        at: new Date().toISOString(),
        staff_id: entry.staffId,
        action: entry.action,
        flag_id: entry.flagId ?? null,
        conversation_id: entry.conversationId ?? null,
        detail: JSON.stringify(entry.detail ?? {}),
      })
      .execute();
  }

  async entries(filter: { flagId?: string } = {}) {
    let q = this.storage.db.selectFrom('audit_log').selectAll().orderBy('id', 'asc');
    if (filter.flagId) q = q.where('flag_id', '=', filter.flagId);
    return q.execute();
  }
}
