import type { Reply } from '../../widget/src/shared/protocol.js';
import { api } from './api.js';
import type {
  Analytics,
  CorpusStatus,
  CrisisReport,
  Entry,
  EntryDetail,
  EntrySummary,
  Locale,
  NewEntryDraft,
  Published,
  Revision,
  TesterResult,
  TestQuestion,
  Triage,
} from './editor-protocol.js';
import { vetReply } from './reply-html.js';

/** The corpus-editing, tester, triage and analytics API (README, "Corpus editing API"). */

const entryPath = (locale: Locale, id: string, rest = '') => `/api/entries/${encodeURIComponent(id)}${rest}?locale=${locale}`;

export const corpusStatus = () => api<CorpusStatus>('GET', '/api/corpus');

export const listEntries = async (locale: Locale) =>
  (await api<{ entries: EntrySummary[] }>('GET', `/api/entries?locale=${locale}`)).entries;

export const getEntry = (locale: Locale, id: string) => api<EntryDetail>('GET', entryPath(locale, id));

export const entryHistory = async (locale: Locale, id: string) =>
  (await api<{ revisions: Revision[] }>('GET', entryPath(locale, id, '/revisions'))).revisions;

export interface SaveResult {
  revision: number;
  unchanged: boolean;
  latest: Revision;
}

export const saveDraft = (
  locale: Locale,
  id: string,
  body: { entry: Entry; baseRevision: number | null; note?: string; triageItems?: number[] },
) => api<SaveResult>('PUT', entryPath(locale, id, '/draft'), body);

export const retireEntry = (locale: Locale, id: string, baseRevision: number) =>
  api<SaveResult>('POST', entryPath(locale, id, '/retire'), { baseRevision });

export const publishEntry = (locale: Locale, id: string, revision: number, confirm = false) =>
  api<Published>('POST', entryPath(locale, id, '/publish'), { revision, confirm });

/** The reply the widget would show for this (unsaved) entry; its HTML is vetted for rendering. */
export const previewEntry = async (locale: Locale, id: string, entry: Entry) =>
  vetReply((await api<{ reply: Reply }>('POST', entryPath(locale, id, '/preview'), { entry })).reply);

export const testQuestions = async (locale: Locale, id: string) =>
  (await api<{ testQuestions: TestQuestion[] }>('GET', entryPath(locale, id, '/test-questions'))).testQuestions;

export const addTestQuestion = (locale: Locale, id: string, text: string) =>
  api<{ testQuestion: TestQuestion }>('POST', entryPath(locale, id, '/test-questions'), { text });

export const removeTestQuestion = (locale: Locale, id: string, question: number) =>
  api<{ ok: true }>('DELETE', entryPath(locale, id, `/test-questions/${question}`));

/** The question tester: the gateway's pipeline for one question; the reply's HTML is vetted for rendering. */
export async function testQuestion(text: string, locale: Locale): Promise<TesterResult> {
  const result = await api<TesterResult>('POST', '/api/test-question', { text, locale });
  vetReply(result.reply);
  return result;
}

export const triage = (locale: Locale, days: number) => api<Triage>('GET', `/api/triage?locale=${locale}&days=${days}`);

export const addAlternate = (items: number[], entryId: string, locale: Locale, text?: string) =>
  api<{ revision: number; entryId: string; locale: Locale; alternate: string }>('POST', '/api/triage/add-alternate', {
    items,
    entryId,
    locale,
    ...(text ? { text } : {}),
  });

export const newEntryFrom = (items: number[], locale: Locale) =>
  api<NewEntryDraft>('POST', '/api/triage/new-entry', { items, locale });

export const dismissItems = (items: number[]) => api<{ dismissed: number }>('POST', '/api/triage/dismiss', { items });

export const analytics = (days: number, locale: Locale | null) =>
  api<Analytics>('GET', `/api/analytics?days=${days}${locale ? `&locale=${locale}` : ''}`);

export const crisisReport = (year: number) => api<CrisisReport>('GET', `/api/reports/crisis-referrals?year=${year}`);
