import type { Entry, Locale, Source } from './editor-protocol.js';

/**
 * The entry form's values (what the inputs hold, all text) and the conversions between them and an
 * entry as the API takes it. Pure: unit-tested in entry-form.spec.ts. The server validates; this only
 * shapes (lines into a list, a year into a number, empty optional fields left out).
 */

export const EVIDENCE_LEVELS = ['strong', 'moderate', 'limited', 'emerging', 'expert-opinion'] as const;

export const EVIDENCE_LABELS: Record<string, string> = {
  strong: 'Strong',
  moderate: 'Moderate',
  limited: 'Limited',
  emerging: 'Emerging',
  'expert-opinion': 'Expert opinion',
};

export interface SourceForm {
  title: string;
  url: string;
  publisher: string;
  journal: string;
  year: string;
  doi: string;
  pmid: string;
}

export interface EntryForm {
  id: string;
  locale: Locale;
  question: string;
  /** One phrasing per line. */
  alternates: string;
  summary: string;
  body: string;
  evidence: string;
  caveat: string;
  sources: SourceForm[];
  /** Separated by commas. */
  tags: string;
  /** Entry ids, separated by commas. */
  related: string;
  showCrisisResources: boolean;
  showClinicContact: boolean;
  reviewed: string;
  reviewBy: string;
  translatedFrom: string;
}

export const SOURCE_FIELDS = ['title', 'url', 'publisher', 'journal', 'year', 'doi', 'pmid'] as const;

export function emptySource(): SourceForm {
  return { title: '', url: '', publisher: '', journal: '', year: '', doi: '', pmid: '' };
}

const text = (value: unknown) => (value === undefined || value === null ? '' : String(value));

/** A YYYY-MM-DD date `days` after `day`. */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** A new entry's form: reviewed today, due for review in a year, one empty source to fill in. */
export function emptyForm(locale: Locale, today = new Date().toISOString().slice(0, 10)): EntryForm {
  return {
    id: '',
    locale,
    question: '',
    alternates: '',
    summary: '',
    body: '',
    evidence: 'limited',
    caveat: '',
    sources: [emptySource()],
    tags: '',
    related: '',
    showCrisisResources: false,
    showClinicContact: false,
    reviewed: today,
    reviewBy: addDays(today, 365),
    translatedFrom: '',
  };
}

export function toForm(entry: Partial<Entry> & { locale: Locale }): EntryForm {
  const sources = Array.isArray(entry.sources) ? entry.sources : [];
  return {
    ...emptyForm(entry.locale),
    id: text(entry.id),
    question: text(entry.question),
    alternates: (entry.alternates ?? []).join('\n'),
    summary: text(entry.summary),
    body: text(entry.body),
    evidence: text(entry.evidence) || 'limited',
    caveat: text(entry.caveat),
    sources: sources.length
      ? sources.map(
          (s) =>
            Object.fromEntries(
              SOURCE_FIELDS.map((f) => [f, text((s as unknown as Record<string, unknown>)[f])]),
            ) as unknown as SourceForm,
        )
      : [emptySource()],
    tags: (entry.tags ?? []).join(', '),
    related: (entry.related ?? []).join(', '),
    showCrisisResources: entry.showCrisisResources === true,
    showClinicContact: entry.showClinicContact === true,
    reviewed: text(entry.reviewed) || emptyForm(entry.locale).reviewed,
    reviewBy: text(entry.reviewBy) || emptyForm(entry.locale).reviewBy,
    translatedFrom: text(entry.translatedFrom),
  };
}

const lines = (value: string) =>
  value
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
const commaList = (value: string) =>
  value
    .split(/[,\n]/)
    .map((l) => l.trim())
    .filter(Boolean);

function toSource(form: SourceForm): Source {
  const source: Record<string, unknown> = { title: form.title.trim(), url: form.url.trim() };
  for (const field of ['publisher', 'journal', 'doi', 'pmid'] as const)
    if (form[field].trim()) source[field] = form[field].trim();
  const year = form.year.trim();
  // A year that is not a number goes as written: the server names the field that is wrong.
  if (year) source.year = /^\d+$/.test(year) ? Number(year) : year;
  return source as unknown as Source;
}

const isBlankSource = (s: SourceForm) => SOURCE_FIELDS.every((f) => !s[f].trim());

/**
 * The entry to send: the form's values over `base` (the entry as loaded, so fields this form does not
 * know pass through), optional fields left out when empty, blank source rows dropped.
 */
export function fromForm(form: EntryForm, base: Partial<Entry> = {}): Entry {
  const entry: Record<string, unknown> = {
    ...base,
    id: form.id.trim(),
    locale: form.locale,
    question: form.question.trim(),
    summary: form.summary.trim(),
    alternates: lines(form.alternates),
    tags: commaList(form.tags),
    evidence: form.evidence,
    caveat: form.caveat.trim(),
    sources: form.sources.filter((s) => !isBlankSource(s)).map(toSource),
    related: commaList(form.related),
    showCrisisResources: form.showCrisisResources,
    showClinicContact: form.showClinicContact,
    reviewed: form.reviewed.trim(),
    reviewBy: form.reviewBy.trim(),
    translatedFrom: form.translatedFrom.trim(),
    body: form.body,
  };
  for (const optional of ['summary', 'caveat', 'translatedFrom'] as const) if (entry[optional] === '') delete entry[optional];
  return entry as Entry;
}

/** Key-order-free JSON, to tell whether two entries say the same. */
function stable(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

/** Whether the form says something other than `saved` (the entry as last loaded or saved). */
export function formChanged(form: EntryForm, saved: EntryForm): boolean {
  return stable(fromForm(form)) !== stable(fromForm(saved));
}
