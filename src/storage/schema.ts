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
