import { Inject, Injectable } from '@nestjs/common';
import { StorageService } from '../storage/storage.service.js';

/** "Was this helpful?" votes, stored for staff (no visitor text, only the entry and the vote). */
@Injectable()
export class FeedbackRepository {
  constructor(@Inject(StorageService) private readonly storage: StorageService) {}

  async record(conversationId: string, entryId: string, helpful: boolean): Promise<void> {
    await this.storage.db
      .insertInto('feedback')
      .values({ at: new Date().toISOString(), conversation_id: conversationId, entry_id: entryId, helpful: helpful ? 1 : 0 })
      // A second vote on the same answer replaces the first.
      .onConflict((oc) =>
        oc.columns(['conversation_id', 'entry_id']).doUpdateSet({ helpful: helpful ? 1 : 0, at: new Date().toISOString() }),
      )
      .execute();
  }

  /** Helpful and unhelpful votes per entry. */
  async summary(): Promise<Array<{ entryId: string; helpful: number; unhelpful: number }>> {
    const rows = await this.storage.db.selectFrom('feedback').select(['entry_id', 'helpful']).execute();
    const byEntry = new Map<string, { entryId: string; helpful: number; unhelpful: number }>();
    for (const r of rows) {
      const item = byEntry.get(r.entry_id) ?? { entryId: r.entry_id, helpful: 0, unhelpful: 0 };
      if (r.helpful) item.helpful++;
      else item.unhelpful++;
      byEntry.set(r.entry_id, item);
    }
    return [...byEntry.values()];
  }
}
