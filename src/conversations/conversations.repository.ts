import { Inject, Injectable } from '@nestjs/common';
import type { Kysely, Transaction } from 'kysely';
import type { Locale } from '../knowledge/entry.schema.js';
import type { ConversationRisk } from '../safety/screen.js';
import type { Database } from '../storage/schema.js';
import { StorageService } from '../storage/storage.service.js';
import type { ReplyRecord, Turn } from './conversation.js';

type Db = Kysely<Database> | Transaction<Database>;

/** A conversation as the store keeps it. */
export interface StoredConversation {
  id: string;
  locale: Locale;
  tokenHash: string;
  risk: ConversationRisk;
  flagged: boolean;
  createdAt: string;
}

/** Stored conversations and their turns. Plain Kysely queries that run on SQLite and PostgreSQL alike. */
@Injectable()
export class ConversationsRepository {
  constructor(@Inject(StorageService) private readonly storage: StorageService) {}

  /**
   * Saves the conversation's row and turns. `replace` drops turns stored earlier (redacted, by
   * configuration) so that a flagged conversation is kept whole. Idempotent: a turn already stored at the
   * same position is left as it is.
   */
  async save(
    conversation: StoredConversation,
    turns: Turn[],
    options: { replace: boolean; redact?: (s: string) => string },
  ): Promise<void> {
    const now = new Date().toISOString();
    await this.storage.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('conversations')
        .values({
          id: conversation.id,
          locale: conversation.locale,
          token_hash: conversation.tokenHash,
          risk: JSON.stringify(conversation.risk),
          flagged: conversation.flagged ? 1 : 0,
          created_at: conversation.createdAt,
          updated_at: now,
        })
        .onConflict((oc) =>
          oc.column('id').doUpdateSet({
            locale: conversation.locale,
            risk: JSON.stringify(conversation.risk),
            flagged: conversation.flagged ? 1 : 0,
            updated_at: now,
          }),
        )
        .execute();
      if (options.replace) await trx.deleteFrom('transcript_turns').where('conversation_id', '=', conversation.id).execute();
      await this.insertTurns(trx, conversation.id, turns, conversation.flagged, options.redact ?? ((s) => s));
    });
  }

  private async insertTurns(
    db: Db,
    conversationId: string,
    turns: Turn[],
    flagged: boolean,
    redact: (s: string) => string,
  ): Promise<void> {
    if (turns.length === 0) return;
    await db
      .insertInto('transcript_turns')
      .values(
        turns.map((t) => ({
          conversation_id: conversationId,
          seq: t.seq,
          role: t.role,
          text: t.role === 'visitor' ? redact(t.text) : t.text,
          at: t.at,
          meta: JSON.stringify({ risk: t.risk, reply: t.reply, staffId: t.staffId, clientMessageId: t.clientMessageId }),
          flagged: flagged ? 1 : 0,
        })),
      )
      .onConflict((oc) => oc.columns(['conversation_id', 'seq']).doNothing())
      .execute();
  }

  async find(id: string): Promise<StoredConversation | undefined> {
    const row = await this.storage.db.selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    return {
      id: row.id,
      locale: row.locale as Locale,
      tokenHash: row.token_hash,
      risk: JSON.parse(row.risk) as ConversationRisk,
      flagged: row.flagged === 1,
      createdAt: row.created_at,
    };
  }

  async turns(conversationId: string, limit?: number): Promise<Turn[]> {
    let query = this.storage.db
      .selectFrom('transcript_turns')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .orderBy('seq', 'desc');
    if (limit) query = query.limit(limit);
    const rows = await query.execute();
    return rows.reverse().map((r) => {
      const meta = JSON.parse(r.meta) as { risk?: Turn['risk']; reply?: ReplyRecord; staffId?: string; clientMessageId?: string };
      return { seq: r.seq, role: r.role as Turn['role'], text: r.text, at: r.at, ...meta };
    });
  }
}
