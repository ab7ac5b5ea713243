import type { FieldError } from './editor-protocol.js';

/**
 * The server's field errors (`{ path, message }`, paths like `entry.sources[0].url`) mapped onto the
 * entry form: which input each belongs next to, and how the error summary names it. Pure: unit-tested
 * in field-errors.spec.ts.
 */

export const FIELD_LABELS: Record<string, string> = {
  id: 'Entry id',
  locale: 'Language',
  question: 'Question',
  alternates: 'Other phrasings',
  summary: 'Short answer',
  body: 'Answer',
  evidence: 'Evidence level',
  caveat: 'Caveat',
  sources: 'Sources',
  tags: 'Tags',
  related: 'Related entries',
  showCrisisResources: 'Show the crisis resources',
  showClinicContact: "Show the clinic's contact details",
  reviewed: 'Reviewed',
  reviewBy: 'Review by',
  translatedFrom: 'Translated from',
  note: 'Note for the history',
};

export const SOURCE_LABELS: Record<string, string> = {
  title: 'title',
  url: 'address (URL)',
  publisher: 'publisher',
  journal: 'journal',
  year: 'year',
  doi: 'DOI',
  pmid: 'PubMed id',
};

/** Lists whose items are lines or comma-separated words of one input: the error says which item. */
const ITEM_NAMES: Record<string, string> = { alternates: 'Line', tags: 'Tag', related: 'Related entry' };

/** One problem, placed: `field` is the form's key for the input (`question`, `sources.0.url`), or null. */
export interface PlacedError {
  field: string | null;
  /** How the error summary names the field: "Source 1: address (URL)". */
  label: string;
  message: string;
}

export interface FormErrors {
  /** In the server's order, for the error summary. */
  all: PlacedError[];
  /** Messages per field key, shown next to the input. */
  byField: Record<string, string[]>;
}

export const NO_ERRORS: FormErrors = { all: [], byField: {} };

/** Splits `entry.sources[0].url` into `['entry', 'sources', 0, 'url']`. */
export function pathParts(path: string): Array<string | number> {
  const parts: Array<string | number> = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) parts.push(m[2] !== undefined ? Number(m[2]) : m[1]);
  return parts;
}

/** Where one error goes on the form. */
export function placeError({ path, message }: FieldError): PlacedError {
  const parts = pathParts(path);
  // Errors about the entry are under `entry`; `note` is the request's own field; anything else (the
  // request's envelope, another entry's file such as `en/other.md#related[0]`) has no input here.
  const inEntry = parts[0] === 'entry';
  const [name, index, sub] = inEntry ? parts.slice(1) : parts;
  if (!inEntry && name !== 'note') return { field: null, label: path || 'The entry', message };
  if (typeof name !== 'string') return { field: null, label: 'The entry', message };
  if (name === 'sources' && typeof index === 'number') {
    const n = index + 1;
    if (typeof sub === 'string' && sub in SOURCE_LABELS) {
      return { field: `sources.${index}.${sub}`, label: `Source ${n}: ${SOURCE_LABELS[sub]}`, message };
    }
    return { field: `sources.${index}`, label: `Source ${n}`, message };
  }
  if (!(name in FIELD_LABELS) || name === 'locale') return { field: null, label: FIELD_LABELS[name] ?? name, message };
  const label = FIELD_LABELS[name];
  if (typeof index === 'number' && name in ITEM_NAMES) {
    return { field: name, label, message: `${ITEM_NAMES[name]} ${index + 1}: ${message}` };
  }
  return { field: name, label, message };
}

export function formErrors(errors: FieldError[]): FormErrors {
  const all = errors.map(placeError);
  const byField: Record<string, string[]> = {};
  for (const e of all) if (e.field) (byField[e.field] ??= []).push(e.message);
  return { all, byField };
}

/** The DOM id of a field's input: `f-question`, `f-sources-0-url`. */
export function fieldId(field: string): string {
  return `f-${field.replace(/\./g, '-')}`;
}
