import YAML, { isMap, isScalar, isSeq, type Document, type Scalar } from 'yaml';
import { parseEntry, type CorpusProblem } from '../knowledge/corpus-loader.js';
import { entryFrontMatterSchema, type Locale } from '../knowledge/entry.schema.js';
import { contentOf, stableJson, type EntryContent } from './entry-content.js';

/** The front matter's fields in the order a new file lists them (the schema's order). */
const FIELD_ORDER = Object.keys(entryFrontMatterSchema.shape);
/** Short lists written on one line, as the shipped corpus does: `tags: [kap, basics]`. */
const FLOW_FIELDS = new Set(['tags', 'related']);
/** Strings longer than this become folded blocks (`>-`), wrapped at LINE_WIDTH. */
const FOLD_OVER = 100;
const LINE_WIDTH = 105;
const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)([\s\S]*)$/;

export type ParsedFile = { ok: true; content: EntryContent } | { ok: false; problems: CorpusProblem[] };

/** Parses an entry file exactly as the corpus loader does (same schema, same rules). */
export function parseEntryFile(text: string, locale: Locale, id: string): ParsedFile {
  const problems: CorpusProblem[] = [];
  const entry = parseEntry(`${locale}/${id}.md`, text, locale, problems);
  return entry ? { ok: true, content: contentOf(entry) } : { ok: false, problems };
}

const same = (a: unknown, b: unknown) => stableJson(a) === stableJson(b);

/**
 * The entry as a Markdown file. With the file it was edited from (`previous`), only what changed is
 * rewritten: untouched fields keep their exact lines (comments, wrapping, quoting) and an unchanged
 * answer its exact text, so a review in git shows the edit and nothing else; a file that already says
 * this content is returned as it is. Without one, the file is written in the corpus's usual style.
 * Either way the result parses back to exactly `content` (checked here).
 */
export function renderEntryFile(content: EntryContent, previous: string | null = null): string {
  if (previous !== null) {
    const parsed = parseEntryFile(previous, content.locale, content.id);
    if (parsed.ok && same(parsed.content, content)) return previous;
    const spliced = parsed.ok ? splice(previous, parsed.content, content) : null;
    if (spliced !== null && roundTrips(spliced, content)) return spliced;
  }
  const fresh = canonical(content);
  if (!roundTrips(fresh, content))
    throw new Error(`entry ${content.locale}/${content.id} does not survive being written as a file`);
  return fresh;
}

function roundTrips(text: string, content: EntryContent): boolean {
  const back = parseEntryFile(text, content.locale, content.id);
  return back.ok && same(back.content, content);
}

/** Every field as `key: value` YAML, in schema order, leaving out `false` flags and absent options. */
function canonical(content: EntryContent): string {
  const { body, ...fields } = content;
  const lines = FIELD_ORDER.filter((k) => k in fields)
    .map((k) => [k, (fields as Record<string, unknown>)[k]] as const)
    .filter(([, v]) => v !== undefined && v !== false)
    .map(([k, v]) => renderField(k, v))
    .join('');
  return `---\n${lines}---\n${body}\n`;
}

/** One top-level field as YAML text, ending in a newline. */
function renderField(key: string, value: unknown): string {
  const doc: Document = new YAML.Document({ [key]: value });
  const node = doc.get(key, true);
  // Long texts (summary, caveat) as folded blocks; strings inside lists and sources stay on their line.
  if (isScalar(node) && typeof value === 'string' && value.length > FOLD_OVER && !value.includes('\n')) {
    (node as Scalar).type = 'BLOCK_FOLDED';
  }
  if (isSeq(node) && FLOW_FIELDS.has(key)) node.flow = true;
  return doc.toString({ lineWidth: LINE_WIDTH, minContentWidth: 0, flowCollectionPadding: false });
}

/**
 * Rewrites only the fields that differ between `before` (what `source` says) and `after`, by their
 * lines in `source`. Returns null when the source's layout is not a plain top-level mapping.
 */
function splice(source: string, before: EntryContent, after: EntryContent): string | null {
  const m = FRONT_MATTER.exec(source);
  if (!m) return null;
  const [, yamlText, bodyPart] = m;
  const doc = YAML.parseDocument(yamlText);
  if (doc.errors.length || !isMap(doc.contents)) return null;
  const lines = yamlText.split('\n');
  const lineOf = (offset: number) => yamlText.slice(0, offset).split('\n').length - 1;
  const pairs = doc.contents.items.map((pair) => {
    if (!isScalar(pair.key) || !pair.key.range) return null;
    return { key: String(pair.key.value), start: lineOf(pair.key.range[0]) };
  });
  if (pairs.some((p) => p === null)) return null;
  const spans = (pairs as Array<{ key: string; start: number }>).map((p, i, all) => ({
    key: p.key,
    text: lines.slice(p.start, i + 1 < all.length ? all[i + 1].start : lines.length).join('\n') + '\n',
  }));
  // Lines before the first key (comments) stay where they are.
  const head = spans.length ? lines.slice(0, (pairs[0] as { start: number }).start).join('\n') : '';
  const { body: oldBody, ...oldFields } = before;
  const { body: newBody, ...newFields } = after;
  const value = (fields: object, k: string) => (fields as Record<string, unknown>)[k];

  const out: string[] = head ? [`${head}\n`] : [];
  const present = new Set(spans.map((s) => s.key));
  const written = new Set<string>();
  const writeMissingBefore = (key: string | null) => {
    // Fields new to this file go where the schema order puts them.
    const limit = key === null ? FIELD_ORDER.length : FIELD_ORDER.indexOf(key);
    for (const k of FIELD_ORDER.slice(0, limit < 0 ? FIELD_ORDER.length : limit)) {
      if (present.has(k) || written.has(k)) continue;
      const v = value(newFields, k);
      if (v === undefined || same(v, value(oldFields, k))) continue;
      out.push(renderField(k, v));
      written.add(k);
    }
  };
  for (const span of spans) {
    writeMissingBefore(span.key);
    const oldValue = value(oldFields, span.key);
    const newValue = value(newFields, span.key);
    written.add(span.key);
    if (same(oldValue, newValue)) out.push(span.text);
    else if (newValue !== undefined) out.push(renderField(span.key, newValue));
  }
  writeMissingBefore(null);
  let yamlOut = out.join('');
  if (!yamlOut.endsWith('\n')) yamlOut += '\n';
  const bodyOut = oldBody === newBody ? bodyPart : `${newBody}\n`;
  return `---\n${yamlOut}---\n${bodyOut}`;
}
