import { Inject, Injectable } from '@nestjs/common';
import type { Locale } from '../knowledge/entry.schema.js';
import { StorageService } from '../storage/storage.service.js';

export interface TestQuestion {
  id: number;
  locale: Locale;
  entryId: string;
  text: string;
  createdBy: string | null;
  createdAt: string;
}

/** Questions staff save for an entry; the regression check asks them before every publish. */
@Injectable()
export class TestQuestions {
  constructor(@Inject(StorageService) private readonly storage: StorageService) {}

  async all(locale?: Locale, entryId?: string): Promise<TestQuestion[]> {
    let q = this.storage.db.selectFrom('corpus_test_questions').selectAll().orderBy('id');
    if (locale) q = q.where('locale', '=', locale);
    if (entryId) q = q.where('entry_id', '=', entryId);
    return (await q.execute()).map((r) => ({
      id: r.id,
      locale: r.locale as Locale,
      entryId: r.entry_id,
      text: r.text,
      createdBy: r.created_by,
      createdAt: r.created_at,
    }));
  }

  async add(locale: Locale, entryId: string, text: string, createdBy: string): Promise<TestQuestion> {
    const row = { locale, entry_id: entryId, text, created_by: createdBy, created_at: new Date().toISOString() };
    const { id } = await this.storage.db
      .insertInto('corpus_test_questions')
      .values(row)
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id, locale, entryId, text, createdBy, createdAt: row.created_at };
  }

  /** True when it existed (and belonged to that entry). */
  async remove(locale: Locale, entryId: string, id: number): Promise<boolean> {
    const result = await this.storage.db
      .deleteFrom('corpus_test_questions')
      .where('id', '=', id)
      .where('locale', '=', locale)
      .where('entry_id', '=', entryId)
      .executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }
}
