/**
 * The socket protocol of namespace `/chat`, as the widget sees it (see notes/widget-brief.md).
 * Types only: nothing here ends up in the bundles.
 */

export type Locale = 'en' | 'es';

export interface Source {
  title: string;
  publisher?: string;
  journal?: string;
  year?: number | string;
  url: string;
  doi?: string;
  pmid?: string;
}

export interface Suggestion {
  id: string;
  question: string;
}

export interface Resource {
  id: string;
  label: string;
  href: string;
  description: string;
}

export interface Evidence {
  level: string;
  label: string;
  caveat: string;
}

export interface Reply {
  conversationId: string;
  /** The conversation's secret: sent back with every later event about this conversation. */
  resumeToken?: string;
  type: 'answer' | 'fallback' | 'crisis' | 'relayed';
  /** The reply's language (the one the visitor wrote in); the widget labels the reply in it. */
  locale?: Locale;
  risk: 'crisis' | 'concern' | 'informational' | 'none';
  crisisKind: 'imminent' | 'disclosure' | 'third-party' | null;
  entryId: string | null;
  question: string | null;
  html: string;
  sources: Source[];
  evidence: Evidence | null;
  suggestions: Suggestion[];
  resources: Resource[];
  disclaimer: string;
  flagged: boolean;
  staffPresent?: boolean;
  /** The server invites the visitor to leave a phone number or email (someone on the care team was alerted). */
  contactInvited?: boolean;
}

export interface ErrorAck {
  error: { code: string; message: string };
  /** Crisis resources, when the refused message showed distress or the conversation is flagged. */
  resources?: Resource[];
}

export type Turn =
  | { role: 'visitor'; text: string; at: string; clientMessageId?: string }
  | { role: 'bot'; at: string; reply: Reply }
  | { role: 'staff'; text: string; at: string }
  | { role: 'notice'; text: string; at: string };

export interface ResumeAck {
  conversationId: string;
  turns: Turn[];
  flagged: boolean;
  staffPresent: boolean;
}

export interface StaffEvent {
  conversationId: string;
  at: string;
  text: string;
}

export interface ClinicConfig {
  clinic: { name: string; phone?: string; email?: string; url?: string; hours?: string };
  locales?: string[];
}

export function isErrorAck(value: unknown): value is ErrorAck {
  return !!value && typeof value === 'object' && 'error' in value && !!(value as ErrorAck).error;
}

export function isReply(value: unknown): value is Reply {
  return (
    !!value &&
    typeof value === 'object' &&
    typeof (value as Reply).conversationId === 'string' &&
    typeof (value as Reply).type === 'string' &&
    typeof (value as Reply).html === 'string'
  );
}
