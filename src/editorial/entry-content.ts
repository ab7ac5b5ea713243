import { createHash } from 'node:crypto';
import type { ZodError } from 'zod';
import { renderMarkdown } from '../answers/markdown.js';
import { formatPath, MIN_BODY_CHARS } from '../knowledge/corpus-loader.js';
import { entryFrontMatterSchema, LOCALES, type Entry, type EntryFrontMatter, type Locale } from '../knowledge/entry.schema.js';

/** An entry as staff edit it and the store keeps it: the front matter fields plus `body` (Markdown). */
export type EntryContent = EntryFrontMatter & { body: string };

/** A problem with one field, `path` as in `entry.sources[0].url`. */
export interface FieldError {
  path: string;
  message: string;
}

export type Validated = { ok: true; content: EntryContent } | { ok: false; errors: FieldError[] };

/** JSON with object keys sorted, so equal content always gives equal text (and hash). */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

/** The content's fingerprint; a retired entry (null) has its own. */
export function contentHash(content: EntryContent | null): string {
  return createHash('sha256')
    .update(content ? stableJson(content) : 'retired')
    .digest('hex')
    .slice(0, 16);
}

export function contentOf(entry: Entry): EntryContent {
  const { html: _html, file: _file, ...content } = entry;
  return content;
}

/** The entry as the live corpus holds it: answer rendered (and sanitised) once, here. */
export function toEntry(content: EntryContent): Entry {
  return { ...content, html: renderMarkdown(content.body), file: `${content.locale}/${content.id}.md` };
}

/** The names of the fields that differ (`retired` when the entry is retired or comes back). */
export function changedFields(before: EntryContent | null, after: EntryContent | null): string[] {
  if (!before || !after) return before === after ? [] : ['retired'];
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])] as Array<keyof EntryContent>;
  return keys.filter((k) => stableJson(before[k]) !== stableJson(after[k])).sort();
}

export function zodFieldErrors(error: ZodError, prefix: string): FieldError[] {
  return error.issues.flatMap((issue) => {
    const base = formatPath(issue.path);
    const join = (p: string) => (p ? `${prefix}.${p}` : prefix);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: join(base ? `${base}.${key}` : key), message: 'is not a field of an entry' }));
    }
    return [{ path: join(base), message: issue.message }];
  });
}

/**
 * Validates an entry sent by staff with the one schema the files use, plus the rules the loader adds
 * (answer length; id and locale as addressed). Errors name the field: `entry.sources[0].url`.
 */
export function validateContent(input: unknown, expected: { id: string; locale: Locale }): Validated {
  if (!input || typeof input !== 'object' || Array.isArray(input)) {
    return { ok: false, errors: [{ path: 'entry', message: 'must be an object with the entry fields and body' }] };
  }
  const { body, ...frontMatter } = input as Record<string, unknown>;
  const errors: FieldError[] = [];
  const parsed = entryFrontMatterSchema.safeParse(frontMatter);
  if (!parsed.success) errors.push(...zodFieldErrors(parsed.error, 'entry'));
  const text = typeof body === 'string' ? body.trim() : '';
  if (typeof body !== 'string') errors.push({ path: 'entry.body', message: 'the answer (Markdown) is required' });
  else if (text.length < MIN_BODY_CHARS)
    errors.push({ path: 'entry.body', message: `the answer must be at least ${MIN_BODY_CHARS} characters` });
  if (frontMatter.id !== undefined && frontMatter.id !== expected.id) {
    errors.push({ path: 'entry.id', message: `must be "${expected.id}", the id in the address` });
  }
  if (
    frontMatter.locale !== undefined &&
    frontMatter.locale !== expected.locale &&
    (LOCALES as readonly unknown[]).includes(frontMatter.locale)
  ) {
    errors.push({ path: 'entry.locale', message: `must be "${expected.locale}", the locale asked for` });
  }
  if (errors.length || !parsed.success) return { ok: false, errors };
  return { ok: true, content: { ...parsed.data, body: text } };
}

/** Today as YYYY-MM-DD (UTC). */
export function isoDay(date = new Date()): string {
  return date.toISOString().slice(0, 10);
}

/** Adds whole days to a YYYY-MM-DD date. */
export function addDays(day: string, days: number): string {
  return isoDay(new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000));
}

/**
 * The content as published on `today`: `reviewed` becomes today; `reviewBy` stays when it is still
 * ahead, otherwise moves as far ahead as the entry's review interval was (at least a day).
 */
export function stampReviewed(content: EntryContent, today: string): EntryContent {
  if (content.reviewBy > today) return { ...content, reviewed: today };
  const interval = Math.max(1, Math.round((Date.parse(content.reviewBy) - Date.parse(content.reviewed)) / 86_400_000));
  return { ...content, reviewed: today, reviewBy: addDays(today, interval) };
}
