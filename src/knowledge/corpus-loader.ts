import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import matter from 'gray-matter';
import YAML from 'yaml';
import type { ZodError } from 'zod';
import { renderMarkdown } from '../answers/markdown.js';
import { entryFrontMatterSchema, LOCALES, synonymsSchema, type Entry, type Locale, type Synonyms } from './entry.schema.js';
import { translationsDue } from './translation.js';

/** One problem found while loading, always naming the file and, where there is one, the field. */
export interface CorpusProblem {
  file: string;
  field?: string;
  message: string;
}

export interface Corpus {
  /** A short hash of every corpus file's content: changes whenever the corpus changes. */
  version: string;
  entries: Entry[];
  /** Each locale's synonyms and misspellings (knowledge/synonyms.yaml for English, synonyms.<locale>.yaml). */
  synonyms: Record<Locale, Synonyms>;
  /** Non-fatal findings, such as entries past their review date. */
  warnings: CorpusProblem[];
  /** Each entry file's text as read (`en/what-is-kap.md` -> text), when the corpus came from files. */
  files?: Map<string, string>;
}

export type LoadResult = { ok: true; corpus: Corpus } | { ok: false; problems: CorpusProblem[] };

/** English keeps the historical name synonyms.yaml; every other locale has synonyms.<locale>.yaml. */
export function synonymsFile(locale: Locale): string {
  return locale === 'en' ? 'synonyms.yaml' : `synonyms.${locale}.yaml`;
}
export const MIN_BODY_CHARS = 40;

// gray-matter finds the front matter; the maintained `yaml` package parses it (YAML 1.2: dates stay strings).
const matterOptions = { engines: { yaml: (s: string) => YAML.parse(s) as object } };

function zodProblems(file: string, error: ZodError, prefix = ''): CorpusProblem[] {
  return error.issues.map((issue) => ({
    file,
    field: prefix + (issue.path.length ? formatPath(issue.path) : '(front matter)'),
    message: issue.message,
  }));
}

export function formatPath(p: readonly PropertyKey[]): string {
  return p.map((k, i) => (typeof k === 'number' ? `[${k}]` : `${i ? '.' : ''}${String(k)}`)).join('');
}

/**
 * Entry files: `<id>.md`. Editors' lock, swap and backup files (`.#x.md`, `#x.md#`, `x.md~`) are not
 * entries, and a lock file may be a dangling link that cannot even be read.
 */
export function isEntryFileName(name: string): boolean {
  return name.endsWith('.md') && !name.startsWith('.') && !name.startsWith('#');
}

/** Lower-cases and strips punctuation so "Is KAP safe?" and "is kap safe" count as the same phrasing. */
export function phrasingKey(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * Reads and validates the whole corpus. Either every file is valid and the corpus is returned, or every
 * problem found is returned and nothing is: callers keep their current corpus in that case.
 */
export async function loadCorpus(knowledgeDir: string, today = new Date()): Promise<LoadResult> {
  const problems: CorpusProblem[] = [];
  const entries: Entry[] = [];
  const files = new Map<string, string>();
  const hash = createHash('sha256');

  const synonyms = {} as Record<Locale, Synonyms>;
  for (const locale of LOCALES) {
    const file = synonymsFile(locale);
    synonyms[locale] = { groups: [], misspellings: {}, domainTerms: [] };
    const text = await readFile(path.join(knowledgeDir, file), 'utf8').catch(() => null);
    if (text === null) continue;
    hash.update(file).update(text);
    try {
      const parsed = synonymsSchema.safeParse(YAML.parse(text) ?? {});
      if (parsed.success) synonyms[locale] = parsed.data;
      else problems.push(...zodProblems(file, parsed.error));
    } catch (err) {
      problems.push({ file, message: `YAML error: ${(err as Error).message}` });
    }
  }
  for (const locale of LOCALES) {
    const dir = path.join(knowledgeDir, locale);
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names.filter(isEntryFileName).sort()) {
      const file = `${locale}/${name}`;
      const text = await readFile(path.join(dir, name), 'utf8');
      hash.update(file).update(text);
      files.set(file, text);
      const entry = parseEntry(file, text, locale, problems);
      if (entry) entries.push(entry);
    }
  }
  if (entries.length === 0 && problems.length === 0) {
    problems.push({ file: '.', message: `no entries found under ${knowledgeDir}/<locale>/*.md` });
  }
  if (problems.length) return { ok: false, problems: [...problems, ...crossEntryProblems(entries)] };
  const result = buildCorpus(entries, synonyms, hash.digest('hex').slice(0, 12), today);
  if (result.ok) result.corpus.files = files;
  return result;
}

/**
 * A corpus from entries that each passed the schema (read from files, or held in the store): checks what
 * needs the whole corpus, and adds the warnings (reviews due, translations to review).
 */
export function buildCorpus(entries: Entry[], synonyms: Record<Locale, Synonyms>, version: string, today = new Date()): LoadResult {
  const problems = crossEntryProblems(entries);
  if (problems.length) return { ok: false, problems };
  const warnings: CorpusProblem[] = [];
  const todayIso = today.toISOString().slice(0, 10);
  for (const e of entries) {
    if (e.reviewBy < todayIso) {
      warnings.push({ file: e.file, field: 'reviewBy', message: `review was due on ${e.reviewBy}` });
    }
  }
  for (const due of translationsDue(entries)) {
    const message = {
      'english-changed': 'the English entry changed since this translation: review it, then update translatedFrom',
      'no-translatedFrom': 'says not which English version it translates (translatedFrom)',
      'no-english-entry': 'has no English entry with this id',
    }[due.reason];
    warnings.push({ file: due.file, field: 'translatedFrom', message });
  }
  return { ok: true, corpus: { version, entries, synonyms, warnings } };
}

/** Parses and validates one entry file; its problems are added to `problems` (null when there are any). */
export function parseEntry(file: string, text: string, locale: string, problems: CorpusProblem[]): Entry | null {
  let parsed: matter.GrayMatterFile<string>;
  try {
    // Passing options also keeps gray-matter from caching every file's content in memory.
    parsed = matter(text, matterOptions);
  } catch (err) {
    problems.push({ file, message: `front matter is not valid YAML: ${(err as Error).message}` });
    return null;
  }
  if (!text.trimStart().startsWith('---')) {
    problems.push({ file, message: 'must start with YAML front matter between "---" lines' });
    return null;
  }
  const result = entryFrontMatterSchema.safeParse(parsed.data);
  if (!result.success) {
    problems.push(...zodProblems(file, result.error));
    return null;
  }
  const fm = result.data;
  const expectedId = path.basename(file, '.md');
  let ok = true;
  if (fm.id !== expectedId) {
    problems.push({ file, field: 'id', message: `must equal the file name "${expectedId}"` });
    ok = false;
  }
  if (fm.locale !== locale) {
    problems.push({ file, field: 'locale', message: `must equal the folder "${locale}"` });
    ok = false;
  }
  const body = parsed.content.trim();
  if (body.length < MIN_BODY_CHARS) {
    problems.push({ file, field: 'body', message: `the answer must be at least ${MIN_BODY_CHARS} characters` });
    ok = false;
  }
  return ok ? { ...fm, body, html: renderMarkdown(body), file } : null;
}

/** Checks that need the whole corpus: unique ids, existing related ids, no phrasing shared by two entries. */
export function crossEntryProblems(entries: Entry[]): CorpusProblem[] {
  const problems: CorpusProblem[] = [];
  const byKey = new Map<string, Entry>();
  for (const e of entries) {
    const key = `${e.locale}/${e.id}`;
    if (byKey.has(key)) problems.push({ file: e.file, field: 'id', message: `duplicate id "${e.id}"` });
    byKey.set(key, e);
  }
  const phrasingOwner = new Map<string, Entry>();
  for (const e of entries) {
    e.related.forEach((rel, i) => {
      if (rel === e.id) problems.push({ file: e.file, field: `related[${i}]`, message: 'an entry cannot relate to itself' });
      else if (!byKey.has(`${e.locale}/${rel}`)) {
        problems.push({ file: e.file, field: `related[${i}]`, message: `no entry with id "${rel}" in ${e.locale}/` });
      }
    });
    const phrasings = [e.question, ...e.alternates];
    phrasings.forEach((text, i) => {
      const key = `${e.locale}:${phrasingKey(text)}`;
      const owner = phrasingOwner.get(key);
      const field = i === 0 ? 'question' : `alternates[${i - 1}]`;
      if (owner && owner !== e) {
        problems.push({ file: e.file, field, message: `"${text}" is also a phrasing of ${owner.file}` });
      } else if (owner === e) {
        problems.push({ file: e.file, field, message: `"${text}" is listed twice in this entry` });
      }
      phrasingOwner.set(key, e);
    });
  }
  return problems;
}

export function formatProblems(problems: CorpusProblem[]): string {
  return problems.map((p) => `  ${p.file}${p.field ? ` (${p.field})` : ''}: ${p.message}`).join('\n');
}
