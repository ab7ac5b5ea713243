/**
 * What the corpus-editing, tester, triage and analytics API sends (README, "Corpus editing API" and
 * "Content triage and analytics"). Types only: nothing here ends up in the bundle.
 */
import type { Reply } from '../../widget/src/shared/protocol.js';

export type Locale = 'en' | 'es';
export const LOCALES: readonly Locale[] = ['en', 'es'];

export type EntryStatus = 'published' | 'draft' | 'new' | 'retiring' | 'retired';

export interface Source {
  title: string;
  publisher?: string;
  journal?: string;
  year?: number;
  url: string;
  doi?: string;
  pmid?: string;
}

/** An entry as staff edit it: the front matter of `src/knowledge/entry.schema.ts` plus `body`. */
export interface Entry {
  id: string;
  locale: Locale;
  question: string;
  summary?: string;
  alternates: string[];
  tags: string[];
  evidence: string;
  caveat?: string;
  sources: Source[];
  related: string[];
  showCrisisResources: boolean;
  showClinicContact: boolean;
  reviewed: string;
  reviewBy: string;
  translatedFrom?: string;
  body: string;
  /** Fields added to the schema later pass through the form untouched. */
  [field: string]: unknown;
}

export interface Person {
  id: string;
  email: string | null;
}

export interface EntrySummary {
  id: string;
  locale: Locale;
  question: string | null;
  status: EntryStatus;
  revision: number;
  liveRevision: number | null;
  draftFrom: 'baseline' | 'staff' | null;
  updatedAt: string;
  updatedBy: Person | null;
  reviewed: string | null;
  reviewBy: string | null;
  dueForReview: boolean;
}

export interface Revision {
  revision: number;
  number: number;
  parent: number | null;
  kind: 'baseline' | 'edit' | 'publish';
  retired: boolean;
  changes: string[];
  note: string | null;
  author: Person | null;
  createdAt: string;
  published: { at: string; by: Person | null } | null;
  publishDetail: { checked: number; confirmedChanges: unknown[] } | null;
  head: boolean;
  live: boolean;
  baseline: boolean;
}

export interface EntryDetail {
  entry: Entry | null;
  revision: number;
  status: EntryStatus;
  liveRevision: number | null;
  live: Entry | null;
  latest: Revision;
}

export interface FieldError {
  path: string;
  message: string;
}

export interface Outcome {
  reply: 'answer' | 'fallback' | 'crisis' | 'smalltalk' | 'other';
  entryId: string | null;
  score: number | null;
}

/** One question the regression check found answered differently. */
export interface Change {
  text: string;
  locale: Locale;
  from: { entryId: string; kind: 'question' | 'alternate' | 'test-question' };
  before: Outcome;
  after: Outcome;
}

export interface Published {
  revision: number;
  number: number;
  retired: boolean;
  reviewed: string | null;
  reviewBy: string | null;
  corpusVersion: string;
  checked: number;
  changes: Change[];
}

export interface TestQuestion {
  id: number;
  locale: Locale;
  entryId: string;
  text: string;
  createdBy: string | null;
  createdAt: string;
}

export interface Candidate {
  id: string;
  question: string;
  score: number;
  phrasing: number;
}

export interface TesterResult {
  text: string;
  locale: Locale;
  risk: { level: string; kind: string | null; reasons: Array<{ rule: string; matched: string }> };
  outcome: string;
  match: {
    reason: string;
    inDomain: boolean;
    confidence: number | null;
    margin: number | null;
    threshold: number;
    minMargin: number;
    best: Candidate | null;
    entry: Candidate | null;
    runnersUp: Candidate[];
  } | null;
  reply: Reply;
}

export interface TriageItem {
  id: number;
  text: string;
  at: string;
}

export interface EntryRef {
  id: string;
  question: string | null;
}

export interface Triage {
  textKept: boolean;
  retentionDays: number;
  from: string;
  to: string;
  unanswered: {
    counts: Record<string, number>;
    groups: Array<{
      count: number;
      text: string;
      firstAt: string;
      lastAt: string;
      reasons: Record<string, number>;
      closest: Array<EntryRef & { score: number }>;
      items: TriageItem[];
    }>;
  };
  unhelpful: Array<EntryRef & { unhelpful: number; helpful: number; items: TriageItem[] }>;
  thinMargin: Array<{ entry: EntryRef | null; runnerUp: EntryRef | null; count: number; items: TriageItem[] }>;
}

export interface NewEntryDraft {
  suggestedId: string;
  triageItems: number[];
  entry: Partial<Entry> & { locale: Locale };
}

export interface Analytics {
  from: string;
  to: string;
  riskByDay: Array<{ day: string; none: number; informational: number; concern: number; crisis: number }>;
  repliesByDay: Array<Record<string, number | string>>;
  topEntries: Array<{ entryId: string; count: number }>;
  fallbacks: Record<string, number>;
  thinMargins: Array<{ entryId: string; runnerUpId: string; count: number }>;
}

export interface CrisisReport {
  year: number;
  generatedAt: string;
  messages: number;
  crisisReferrals: { total: number; byLocale: Record<string, number>; byMonth: Array<{ month: string; total: number }> };
  followUpReferrals: number;
  crisisMessagesByKind: Record<string, number>;
  flagsRaised: { total: number; byKind: Record<string, number> };
  concernReferrals: number;
  informationalWithResources: number;
  definitions: Record<string, string>;
  note: string;
}

export interface CorpusStatus {
  version: string;
  entries: number;
  publishBy: 'admin' | 'second-editor';
}
