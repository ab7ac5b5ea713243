import {
  sql,
  SqliteAdapter,
  type ColumnDefinitionBuilder,
  type CreateTableBuilder,
  type Kysely,
  type Migration,
  type MigrationProvider,
} from 'kysely';

function isSqlite(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter instanceof SqliteAdapter;
}

/** An auto-numbered primary key in either dialect (SQLite's rowid, PostgreSQL's identity). */
function withSerialId<T extends string>(db: Kysely<unknown>, table: CreateTableBuilder<T, never>): CreateTableBuilder<T, 'id'> {
  return isSqlite(db)
    ? table.addColumn('id', 'integer', (c: ColumnDefinitionBuilder) => c.primaryKey().autoIncrement())
    : table.addColumn('id', 'integer', (c: ColumnDefinitionBuilder) => c.primaryKey().generatedByDefaultAsIdentity());
}

/**
 * Schema migrations, in order. Never edit a migration that has shipped: add a new one. Written with
 * Kysely's schema builder in types both SQLite and PostgreSQL accept.
 */
const migrations: Record<string, Migration> = {
  '0001_initial': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('flags')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('conversation_id', 'text', (c) => c.notNull())
        .addColumn('locale', 'text', (c) => c.notNull())
        .addColumn('level', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('reasons', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('acknowledged_at', 'text')
        .addColumn('acknowledged_by', 'text')
        .addColumn('resolved_at', 'text')
        .addColumn('resolved_by', 'text')
        .addColumn('resolution_note', 'text')
        .addColumn('escalated_at', 'text')
        .addColumn('visitor_contact', 'text')
        .execute();
      await db.schema.createIndex('flags_conversation').on('flags').column('conversation_id').execute();
      await db.schema.createIndex('flags_status').on('flags').columns(['status', 'created_at']).execute();

      await withSerialId(db, db.schema.createTable('transcript_turns'))
        .addColumn('conversation_id', 'text', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('meta', 'text', (c) => c.notNull())
        .addColumn('flagged', 'integer', (c) => c.notNull())
        .addUniqueConstraint('transcript_turns_seq', ['conversation_id', 'seq'])
        .execute();

      await db.schema
        .createTable('staff')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('email', 'text', (c) => c.notNull().unique())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('staff_sessions')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('staff_id', 'text', (c) => c.notNull().references('staff.id'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'text')
        .execute();

      await withSerialId(db, db.schema.createTable('audit_log'))
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('staff_id', 'text')
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('flag_id', 'text')
        .addColumn('conversation_id', 'text')
        .addColumn('detail', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('outbox')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
        .addColumn('flag_id', 'text', (c) => c.notNull())
        .addColumn('target', 'text', (c) => c.notNull())
        .addColumn('event', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', 'text', (c) => c.notNull())
        .addColumn('last_error', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('delivered_at', 'text')
        .execute();
      await db.schema.createIndex('outbox_due').on('outbox').columns(['status', 'next_attempt_at']).execute();

      await withSerialId(db, db.schema.createTable('feedback'))
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('conversation_id', 'text', (c) => c.notNull())
        .addColumn('entry_id', 'text', (c) => c.notNull())
        .addColumn('helpful', 'integer', (c) => c.notNull())
        .execute();
      // The audit log is append-only: refuse updates and deletes at the database level too (PostgreSQL
      // through a trigger function).
      if (isSqlite(db)) {
        await sql`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`.execute(
          db,
        );
        await sql`CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`.execute(
          db,
        );
      } else {
        await sql`CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$`.execute(
          db,
        );
        await sql`CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`.execute(
          db,
        );
      }
    },
  },
  '0002_hardening': {
    async up(db: Kysely<unknown>) {
      // One open flag per conversation, enforced by the database. Older data may hold duplicates: the
      // newest open flag stays, earlier ones are resolved as merged into it.
      const open = await sql<{ id: string; conversation_id: string; created_at: string }>`
        SELECT id, conversation_id, created_at FROM flags WHERE status <> 'resolved' ORDER BY created_at DESC`.execute(db);
      const kept = new Set<string>();
      for (const row of open.rows) {
        if (!kept.has(row.conversation_id)) {
          kept.add(row.conversation_id);
          continue;
        }
        await sql`UPDATE flags SET status = 'resolved', resolved_at = ${new Date().toISOString()}, resolution_note = 'merged into the newer open flag of this conversation' WHERE id = ${row.id}`.execute(
          db,
        );
      }
      await db.schema
        .createIndex('flags_one_open_per_conversation')
        .on('flags')
        .column('conversation_id')
        .unique()
        .where(sql.ref('status'), '<>', 'resolved')
        .execute();
      // Who raised the flag, as a keyed hash of the client address: bursts from one address are paged as one.
      await db.schema.alterTable('flags').addColumn('source_key', 'text').execute();

      // Conversations the store keeps (flagged, or all with STORE_ALL_TRANSCRIPTS): the resume token's
      // hash and the screen's state, so a conversation survives a restart.
      await db.schema
        .createTable('conversations')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('locale', 'text', (c) => c.notNull())
        .addColumn('token_hash', 'text', (c) => c.notNull())
        .addColumn('risk', 'text', (c) => c.notNull())
        .addColumn('flagged', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();

      // Outbox: a lease so one page is never delivered by two workers at once, a priority (severity) so a
      // real flag never waits behind a flood, and the give-up time after which paging counts as failed.
      await db.schema.alterTable('outbox').addColumn('lease_until', 'text').execute();
      await db.schema.alterTable('outbox').addColumn('lease_owner', 'text').execute();
      await db.schema
        .alterTable('outbox')
        .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.alterTable('outbox').addColumn('source_key', 'text').execute();
      await db.schema.alterTable('outbox').addColumn('give_up_at', 'text').execute();

      // One vote per answer per conversation (a second vote replaces the first).
      await sql`DELETE FROM feedback WHERE id NOT IN (SELECT MAX(id) FROM feedback GROUP BY conversation_id, entry_id)`.execute(
        db,
      );
      await db.schema.createIndex('feedback_one_vote').on('feedback').columns(['conversation_id', 'entry_id']).unique().execute();
    },
  },
  '0003_corpus_revisions': {
    async up(db: Kysely<unknown>) {
      // The live corpus with its full history. A revision is never changed once written (but for the
      // moment it is published); an entry points at its latest (head), live and last baseline revision.
      await withSerialId(db, db.schema.createTable('corpus_revisions'))
        .addColumn('locale', 'text', (c) => c.notNull())
        .addColumn('entry_id', 'text', (c) => c.notNull())
        .addColumn('number', 'integer', (c) => c.notNull())
        .addColumn('parent_id', 'integer')
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('content', 'text')
        .addColumn('source', 'text')
        .addColumn('content_hash', 'text', (c) => c.notNull())
        .addColumn('changes', 'text', (c) => c.notNull())
        .addColumn('note', 'text')
        .addColumn('author_id', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('published_at', 'text')
        .addColumn('published_by', 'text')
        .addColumn('publish_detail', 'text')
        .addUniqueConstraint('corpus_revisions_number', ['locale', 'entry_id', 'number'])
        .execute();

      await db.schema
        .createTable('corpus_entries')
        .addColumn('locale', 'text', (c) => c.notNull())
        .addColumn('entry_id', 'text', (c) => c.notNull())
        .addColumn('head_revision', 'integer', (c) => c.notNull())
        .addColumn('live_revision', 'integer')
        .addColumn('baseline_revision', 'integer')
        .addColumn('baseline_hash', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('corpus_entries_pk', ['locale', 'entry_id'])
        .execute();

      // Questions staff save for an entry: run by the regression check before every publish.
      await withSerialId(db, db.schema.createTable('corpus_test_questions'))
        .addColumn('locale', 'text', (c) => c.notNull())
        .addColumn('entry_id', 'text', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('corpus_test_questions_entry')
        .on('corpus_test_questions')
        .columns(['locale', 'entry_id'])
        .execute();

      // Counts per day, without identifiers: risk levels, crisis replies, answers per entry, fallbacks.
      await db.schema
        .createTable('daily_counts')
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('locale', 'text', (c) => c.notNull())
        .addColumn('metric', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('count', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('daily_counts_pk', ['day', 'locale', 'metric', 'key'])
        .execute();

      // The content triage queue. `text` only under TRIAGE_STORE_TEXT, redacted, at most 300 characters.
      await withSerialId(db, db.schema.createTable('triage_items'))
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('locale', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('entry_id', 'text')
        .addColumn('runner_up_id', 'text')
        .addColumn('reason', 'text')
        .addColumn('candidates', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('resolution', 'text')
        .addColumn('resolved_entry', 'text')
        .addColumn('resolved_at', 'text')
        .addColumn('resolved_by', 'text')
        .execute();
      await db.schema.createIndex('triage_items_open').on('triage_items').columns(['status', 'kind', 'at']).execute();
      await db.schema.createIndex('triage_items_at').on('triage_items').column('at').execute();
    },
  },
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
