import { createHash } from 'node:crypto';
import type { Entry } from './entry.schema.js';

/**
 * The hash a translation records in `translatedFrom`: the English entry's reviewed content (question,
 * summary, answer, evidence, caveat, sources), normalised so that re-wrapping lines or trailing spaces do
 * not count as a change. Alternates, tags and dates are not content a translation follows.
 */
export function translationHash(entry: Pick<Entry, 'question' | 'summary' | 'body' | 'evidence' | 'caveat' | 'sources'>): string {
  const norm = (s: string | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();
  const content = JSON.stringify([
    norm(entry.question),
    norm(entry.summary),
    norm(entry.body),
    entry.evidence,
    norm(entry.caveat),
    entry.sources.map((s) => [norm(s.title), s.url, s.doi ?? '', s.pmid ?? '', s.year ?? '']),
  ]);
  return createHash('sha256').update(content).digest('hex').slice(0, 12);
}

export interface TranslationStatus {
  file: string;
  id: string;
  locale: string;
  reason: 'english-changed' | 'no-translatedFrom' | 'no-english-entry';
}

/** Translations whose English entry changed since they were made (or that do not say what they follow). */
export function translationsDue(entries: Entry[]): TranslationStatus[] {
  const english = new Map(entries.filter((e) => e.locale === 'en').map((e) => [e.id, e]));
  const due: TranslationStatus[] = [];
  for (const e of entries.filter((x) => x.locale !== 'en')) {
    const source = english.get(e.id);
    const base = { file: e.file, id: e.id, locale: e.locale };
    if (!source) due.push({ ...base, reason: 'no-english-entry' });
    else if (!e.translatedFrom) due.push({ ...base, reason: 'no-translatedFrom' });
    else if (e.translatedFrom !== translationHash(source)) due.push({ ...base, reason: 'english-changed' });
  }
  return due;
}
