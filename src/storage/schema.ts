import type { Generated } from 'kysely';

/**
 * The tables. Types are kept to what SQLite and PostgreSQL share: text, integers, ISO-8601 text
 * timestamps (they sort correctly), booleans as 0/1 and JSON as text, so the same queries run on both.
 */
export interface Database {
  flags: FlagTable;
  transcript_turns: TranscriptTurnTable;
  staff: StaffTable;
  staff_sessions: StaffSessionTable;
  audit_log: AuditLogTable;
  outbox: OutboxTable;
  feedback: FeedbackTable;
  conversations: ConversationTable;
  corpus_revisions: CorpusRevisionTable;
  corpus_entries: CorpusEntryTable;
  corpus_test_questions: CorpusTestQuestionTable;
  daily_counts: DailyCountTable;
  triage_items: TriageItemTable;
}

export interface CorpusRevisionTable {
  id: Generated<number>;
  locale: string;
  entry_id: string;
  /** 1, 2, 3... per entry. */
  number: number;
  parent_id: number | null;
  /** `baseline` (from knowledge/), `edit` (staff), `publish` (a publication that set the review dates). */
  kind: 'baseline' | 'edit' | 'publish';
  /** JSON: the front matter plus `body`; null for a revision that retires the entry. */
  content: string | null;
  /** The entry as a Markdown file (verbatim when imported); null when retired. */
  source: string | null;
  content_hash: string;
  /** JSON: the names of the fields that differ from the parent revision. */
  changes: string;
  note: string | null;
  /** Staff id; null for the baseline. */
  author_id: string | null;
  created_at: string;
  published_at: string | null;
  /** Staff id; null when published from the baseline. */
  published_by: string | null;
  /** JSON: what the publisher confirmed (the regression diff). */
  publish_detail: string | null;
}

export interface CorpusEntryTable {
  locale: string;
  entry_id: string;
  /** The latest revision: a draft when it is not the live one. */
  head_revision: number;
  /** The revision visitors are answered from; null until first published. */
  live_revision: number | null;
  /** The revision made from the last baseline (knowledge/) version of this entry. */
  baseline_revision: number | null;
  /** SHA-256 of that baseline file's text, to see when the baseline changes. */
  baseline_hash: string | null;
  created_at: string;
  updated_at: string;
}

export interface CorpusTestQuestionTable {
  id: Generated<number>;
  locale: string;
  entry_id: string;
  text: string;
  created_by: string | null;
  created_at: string;
}

export interface DailyCountTable {
  /** YYYY-MM-DD (UTC). */
  day: string;
  locale: string;
  /** `risk` (key: level), `crisis` (key: kind), `flag` (key: kind), `answer` (key: entry id), `fallback` (key: reason), `thin` (key: "entry>runner-up"). */
  metric: string;
  key: string;
  count: number;
}

export interface TriageItemTable {
  id: Generated<number>;
  at: string;
  locale: string;
  kind: 'unanswered' | 'unhelpful' | 'thin-margin';
  /** The visitor's words, redacted and at most 300 characters (only ever for messages screened `none`). */
  text: string;
  /** The entry answered (unhelpful, thin-margin). */
  entry_id: string | null;
  runner_up_id: string | null;
  /** The matcher's reason for a fallback. */
  reason: string | null;
  /** JSON: [{ id, score }] the closest entries when it was asked. */
  candidates: string;
  status: 'open' | 'resolved';
  /** `alternate`, `new-entry` or `dismissed`. */
  resolution: string | null;
  resolved_entry: string | null;
  resolved_at: string | null;
  resolved_by: string | null;
}

export interface ConversationTable {
  id: string;
  locale: string;
  /** SHA-256 of the resume token: the token itself is never stored. */
  token_hash: string;
  /** JSON: the safety screen's conversation state. */
  risk: string;
  flagged: number;
  created_at: string;
  updated_at: string;
}

export interface FlagTable {
  id: string;
  conversation_id: string;
  locale: string;
  level: string;
  kind: string;
  /** JSON: the safety rules that decided, for staff review. */
  reasons: string;
  status: 'open' | 'acknowledged' | 'resolved';
  created_at: string;
  updated_at: string;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
  resolved_at: string | null;
  resolved_by: string | null;
  resolution_note: string | null;
  escalated_at: string | null;
  /** A phone number or email the visitor left for follow-up. */
  visitor_contact: string | null;
  /** Keyed hash of the client address: a burst of flags from one address is paged as one. */
  source_key: string | null;
}

export interface TranscriptTurnTable {
  id: Generated<number>;
  conversation_id: string;
  /** Position in the conversation, so a turn is never stored twice. */
  seq: number;
  role: string;
  text: string;
  at: string;
  /** JSON: reply type, entry id, risk level. */
  meta: string;
  /** 1 when the conversation was flagged: kept whole; 0: stored by configuration, redacted. */
  flagged: number;
}

export interface StaffTable {
  id: string;
  email: string;
  role: 'oncall' | 'editor' | 'admin';
  password_hash: string;
  disabled: number;
  created_at: string;
  updated_at: string;
}

export interface StaffSessionTable {
  /** SHA-256 of the token: the token itself is never stored. */
  token_hash: string;
  staff_id: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  staff_id: string | null;
  action: string;
  flag_id: string | null;
  conversation_id: string | null;
  /** JSON. */
  detail: string;
}

export interface OutboxTable {
  id: string;
  /** Delivery is idempotent by this key: a flag pages each target once. */
  idempotency_key: string;
  flag_id: string;
  target: 'primary' | 'secondary';
  event: string;
  /** JSON body to send. */
  payload: string;
  /** `failed`: not delivered before `give_up_at`; the flag shows "paging failed" in every console. */
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  created_at: string;
  delivered_at: string | null;
  /** A worker's claim: nobody else delivers this item until the lease runs out. */
  lease_until: string | null;
  lease_owner: string | null;
  /** Higher first: imminent flags before disclosures before third-party ones. */
  priority: Generated<number>;
  source_key: string | null;
  give_up_at: string | null;
}

export interface FeedbackTable {
  id: Generated<number>;
  at: string;
  conversation_id: string;
  entry_id: string;
  helpful: number;
}
