import type { EvidenceLevel, Locale, Source } from '../knowledge/entry.schema.js';
import type { CrisisKind, RiskLevel } from '../safety/lexicon.schema.js';

export interface Resource {
  id: string;
  label: string;
  href: string;
  description: string;
}

export interface Suggestion {
  id: string;
  question: string;
}

/** What the visitor gets back for every message: the acknowledgement of the socket protocol. */
export interface Reply {
  conversationId: string;
  /** 'relayed': a member of the care team is in the conversation and received the message. */
  type: 'answer' | 'fallback' | 'crisis' | 'relayed';
  /** The language of this reply: the one the visitor wrote in (the widget's locale is only a hint). */
  locale: Locale;
  risk: RiskLevel;
  /** For crisis replies: imminent, disclosure or third-party. */
  crisisKind: CrisisKind | null;
  entryId: string | null;
  question: string | null;
  /** Sanitised HTML; every word comes from the reviewed corpus or the reviewed reply texts. */
  html: string;
  sources: Source[];
  evidence: { level: EvidenceLevel; label: string; caveat: string } | null;
  suggestions: Suggestion[];
  /** Crisis resources: all of them in a crisis, 988 and the like with distress or a flagged conversation. */
  resources: Resource[];
  disclaimer: string;
  /** True once the conversation has been flagged as a crisis: the resources then stay visible. */
  flagged: boolean;
  /** A member of the care team is in the conversation. */
  staffPresent: boolean;
  /** This crisis reply invites the visitor to leave a phone number or email (staff were alerted). */
  contactInvited: boolean;
}

export type ReplyBody = Omit<Reply, 'conversationId' | 'staffPresent'>;
