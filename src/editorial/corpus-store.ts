import { Inject, Injectable } from '@nestjs/common';
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Locale } from '../knowledge/entry.schema.js';
import type { CorpusEntryTable, CorpusRevisionTable, Database } from '../storage/schema.js';
import { StorageService } from '../storage/storage.service.js';
import { changedFields, contentHash, type EntryContent } from './entry-content.js';

export type Db = Kysely<Database> | Transaction<Database>;

export interface Revision {
  id: number;
  locale: Locale;
  entryId: string;
  number: number;
  parentId: number | null;
  kind: CorpusRevisionTable['kind'];
  /** Null: this revision retires the entry. */
  content: EntryContent | null;
  /** The entry as a Markdown file; null when retired. */
  source: string | null;
  contentHash: string;
  changes: string[];
  note: string | null;
  authorId: string | null;
  createdAt: string;
  publishedAt: string | null;
  publishedBy: string | null;
  publishDetail: unknown;
}

export interface EntryState {
  locale: Locale;
  entryId: string;
  head: number;
  live: number | null;
  baseline: number | null;
  baselineHash: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface NewRevision {
  locale: Locale;
  entryId: string;
  parent: Revision | null;
  kind: CorpusRevisionTable['kind'];
  content: EntryContent | null;
  source: string | null;
  note?: string | null;
  authorId: string | null;
  at: string;
  published?: { by: string | null; detail?: unknown };
}

const toRevision = (r: Selectable<CorpusRevisionTable>): Revision => ({
  id: r.id,
  locale: r.locale as Locale,
  entryId: r.entry_id,
  number: r.number,
  parentId: r.parent_id,
  kind: r.kind,
  content: r.content === null ? null : (JSON.parse(r.content) as EntryContent),
  source: r.source,
  contentHash: r.content_hash,
  changes: JSON.parse(r.changes) as string[],
  note: r.note,
  authorId: r.author_id,
  createdAt: r.created_at,
  publishedAt: r.published_at,
  publishedBy: r.published_by,
  publishDetail: r.publish_detail === null ? null : (JSON.parse(r.publish_detail) as unknown),
});

const toState = (r: CorpusEntryTable): EntryState => ({
  locale: r.locale as Locale,
  entryId: r.entry_id,
  head: r.head_revision,
  live: r.live_revision,
  baseline: r.baseline_revision,
  baselineHash: r.baseline_hash,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/**
 * The corpus as the store keeps it: immutable revisions per (locale, entry id), and per entry the
 * pointers to its latest (head), live and last baseline revision. Pointers move only by
 * compare-and-set, so two saves based on the same revision can never both win.
 */
@Injectable()
export class CorpusStore {
  constructor(@Inject(StorageService) private readonly storage: StorageService) {}

  get db(): Kysely<Database> {
    return this.storage.db;
  }

  transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.storage.db.transaction().execute(work);
  }

  async states(db: Db = this.db, locale?: Locale): Promise<EntryState[]> {
    let q = db.selectFrom('corpus_entries').selectAll();
    if (locale) q = q.where('locale', '=', locale);
    // Sorted here, by code point: a PostgreSQL database's collation may order ids differently than SQLite.
    const byId = (a: CorpusEntryTable, b: CorpusEntryTable) =>
      a.locale < b.locale ? -1 : a.locale > b.locale ? 1 : a.entry_id < b.entry_id ? -1 : a.entry_id > b.entry_id ? 1 : 0;
    return (await q.execute()).sort(byId).map(toState);
  }

  async state(locale: Locale, entryId: string, db: Db = this.db): Promise<EntryState | undefined> {
    const row = await db
      .selectFrom('corpus_entries')
      .selectAll()
      .where('locale', '=', locale)
      .where('entry_id', '=', entryId)
      .executeTakeFirst();
    return row ? toState(row) : undefined;
  }

  async revision(id: number, db: Db = this.db): Promise<Revision | undefined> {
    const row = await db.selectFrom('corpus_revisions').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toRevision(row) : undefined;
  }

  async revisionsByIds(ids: number[], db: Db = this.db): Promise<Map<number, Revision>> {
    const unique = [...new Set(ids)];
    const out = new Map<number, Revision>();
    // In slices: SQLite limits the number of parameters in one statement.
    for (let i = 0; i < unique.length; i += 500) {
      const rows = await db
        .selectFrom('corpus_revisions')
        .selectAll()
        .where('id', 'in', unique.slice(i, i + 500))
        .execute();
      for (const r of rows) out.set(r.id, toRevision(r));
    }
    return out;
  }

  /** An entry's revisions, newest first. */
  async history(locale: Locale, entryId: string, db: Db = this.db): Promise<Revision[]> {
    const rows = await db
      .selectFrom('corpus_revisions')
      .selectAll()
      .where('locale', '=', locale)
      .where('entry_id', '=', entryId)
      .orderBy('number', 'desc')
      .execute();
    return rows.map(toRevision);
  }

  /** Every entry with its live revision (retired and never-published entries left out). */
  async live(db: Db = this.db): Promise<Array<{ state: EntryState; revision: Revision; content: EntryContent }>> {
    const states = (await this.states(db)).filter((s) => s.live !== null);
    const revisions = await this.revisionsByIds(
      states.map((s) => s.live as number),
      db,
    );
    return states
      .map((state) => ({ state, revision: revisions.get(state.live as number) as Revision }))
      .filter((x): x is { state: EntryState; revision: Revision & { content: EntryContent } } => x.revision?.content != null)
      .map((x) => ({ ...x, content: x.revision.content }));
  }

  /** Writes a revision (numbered after the parent's entry's last one) and returns it. */
  async addRevision(trx: Db, r: NewRevision): Promise<Revision> {
    const last = await trx
      .selectFrom('corpus_revisions')
      .select((eb) => eb.fn.max('number').as('n'))
      .where('locale', '=', r.locale)
      .where('entry_id', '=', r.entryId)
      .executeTakeFirst();
    const row: Omit<Selectable<CorpusRevisionTable>, 'id'> = {
      locale: r.locale,
      entry_id: r.entryId,
      number: Number(last?.n ?? 0) + 1,
      parent_id: r.parent?.id ?? null,
      kind: r.kind,
      content: r.content === null ? null : JSON.stringify(r.content),
      source: r.source,
      content_hash: contentHash(r.content),
      changes: JSON.stringify(changedFields(r.parent?.content ?? null, r.content)),
      note: r.note ?? null,
      author_id: r.authorId,
      created_at: r.at,
      published_at: r.published ? r.at : null,
      published_by: r.published?.by ?? null,
      publish_detail: r.published?.detail === undefined ? null : JSON.stringify(r.published.detail),
    };
    const { id } = await trx.insertInto('corpus_revisions').values(row).returning('id').executeTakeFirstOrThrow();
    return toRevision({ ...row, id });
  }

  async markPublished(trx: Db, revisionId: number, at: string, by: string | null, detail?: unknown): Promise<void> {
    await trx
      .updateTable('corpus_revisions')
      .set({ published_at: at, published_by: by, publish_detail: detail === undefined ? null : JSON.stringify(detail) })
      .where('id', '=', revisionId)
      .where('published_at', 'is', null)
      .execute();
  }

  async insertState(trx: Db, s: Omit<EntryState, 'createdAt' | 'updatedAt'>, at: string): Promise<void> {
    await trx
      .insertInto('corpus_entries')
      .values({
        locale: s.locale,
        entry_id: s.entryId,
        head_revision: s.head,
        live_revision: s.live,
        baseline_revision: s.baseline,
        baseline_hash: s.baselineHash,
        created_at: at,
        updated_at: at,
      })
      .execute();
  }

  /**
   * Moves an entry's pointers, only if its head is still `expectedHead` (compare-and-set). False when
   * someone else moved it first.
   */
  async moveEntry(
    trx: Db,
    locale: Locale,
    entryId: string,
    expectedHead: number,
    set: Partial<Pick<EntryState, 'head' | 'live' | 'baseline' | 'baselineHash'>>,
    at: string,
  ): Promise<boolean> {
    const result = await trx
      .updateTable('corpus_entries')
      .set({
        ...(set.head !== undefined ? { head_revision: set.head } : {}),
        ...(set.live !== undefined ? { live_revision: set.live } : {}),
        ...(set.baseline !== undefined ? { baseline_revision: set.baseline } : {}),
        ...(set.baselineHash !== undefined ? { baseline_hash: set.baselineHash } : {}),
        updated_at: at,
      })
      .where('locale', '=', locale)
      .where('entry_id', '=', entryId)
      .where('head_revision', '=', expectedHead)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }
}
