import { Inject, Injectable } from '@nestjs/common';
import type { Selectable } from 'kysely';
import type { TriageItemTable } from '../storage/schema.js';
import { StorageService } from '../storage/storage.service.js';

export interface TriageItem {
  id: number;
  at: string;
  locale: string;
  kind: TriageItemTable['kind'];
  text: string;
  entryId: string | null;
  runnerUpId: string | null;
  reason: string | null;
  candidates: Array<{ id: string; score: number }>;
}

export type Resolution = 'alternate' | 'new-entry' | 'dismissed';

/** The most open items one triage view reads. */
const OPEN_LIMIT = 2000;

const toItem = (r: Selectable<TriageItemTable>): TriageItem => ({
  id: r.id,
  at: r.at,
  locale: r.locale,
  kind: r.kind,
  text: r.text,
  entryId: r.entry_id,
  runnerUpId: r.runner_up_id,
  reason: r.reason,
  candidates: JSON.parse(r.candidates) as TriageItem['candidates'],
});

/** The content triage queue's items (written by OutcomeRecorder; purged after RETENTION_DAYS). */
@Injectable()
export class TriageRepository {
  constructor(@Inject(StorageService) private readonly storage: StorageService) {}

  async open(locale?: string): Promise<TriageItem[]> {
    let q = this.storage.db
      .selectFrom('triage_items')
      .selectAll()
      .where('status', '=', 'open')
      .orderBy('at', 'desc')
      .limit(OPEN_LIMIT);
    if (locale) q = q.where('locale', '=', locale);
    return (await q.execute()).map(toItem);
  }

  async byIds(ids: number[]): Promise<TriageItem[]> {
    if (ids.length === 0) return [];
    return (await this.storage.db.selectFrom('triage_items').selectAll().where('id', 'in', ids).orderBy('at').execute()).map(
      toItem,
    );
  }

  /** Marks open items as dealt with; returns how many were open. */
  async resolve(ids: number[], resolution: Resolution, entry: string | null, by: string): Promise<number> {
    if (ids.length === 0) return 0;
    const result = await this.storage.db
      .updateTable('triage_items')
      .set({ status: 'resolved', resolution, resolved_entry: entry, resolved_at: new Date().toISOString(), resolved_by: by })
      .where('id', 'in', ids)
      .where('status', '=', 'open')
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }
}
