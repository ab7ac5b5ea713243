import type { Change, Outcome } from './editor-protocol.js';

/**
 * The publish regression check's changes as a table people read: the question, where it comes from,
 * and the answer it got before and would get after. Pure: unit-tested in regression-diff.spec.ts.
 */

export interface DiffRow {
  question: string;
  /** "Question of what-is-kap", "Other phrasing of side-effects", "Test question for adolescents". */
  asked: string;
  before: string;
  after: string;
  /** The entry the question belongs to no longer answers it (the usual worry). */
  lost: boolean;
}

const KIND_TEXT: Record<Change['from']['kind'], string> = {
  question: 'Question of',
  alternate: 'Other phrasing of',
  'test-question': 'Test question for',
};

const REPLY_TEXT: Record<Exclude<Outcome['reply'], 'answer'>, string> = {
  fallback: 'No answer (fallback)',
  crisis: 'Crisis reply',
  smalltalk: 'Small talk',
  other: 'Another reply',
};

/** A confidence as shown next to an answer: 0.8234 -> "0.82". */
export function formatScore(score: number | null | undefined): string {
  return typeof score === 'number' && Number.isFinite(score) ? score.toFixed(2) : '—';
}

/** Entry questions by `locale/id` ("en/side-effects"), to name the entries in the table. */
export type Questions = Record<string, string | null>;

const LANGUAGES: Record<string, string> = { en: 'English', es: 'Spanish' };

/** "side-effects: “What are the side effects?” (0.82)", "No answer (fallback, best 0.31)". */
export function outcomeText(outcome: Outcome, locale: string, questions: Questions = {}): string {
  if (outcome.reply === 'answer') {
    const id = outcome.entryId ?? '?';
    const question = questions[`${locale}/${id}`];
    const score = outcome.score === null ? '' : ` (${formatScore(outcome.score)})`;
    return question ? `${id}: “${question}”${score}` : `Entry ${id}${score}`;
  }
  const base = REPLY_TEXT[outcome.reply] ?? outcome.reply;
  return outcome.reply === 'fallback' && outcome.score !== null
    ? `${base.replace(/\)$/, '')}, best ${formatScore(outcome.score)})`
    : base;
}

/**
 * The rows of the table. `locale` is the language of the entry being published: a question in another
 * language (the check asks every locale's) says which.
 */
export function diffRows(changes: Change[], locale: string, questions: Questions = {}): DiffRow[] {
  return changes.map((c) => ({
    question: c.text,
    asked: `${KIND_TEXT[c.from.kind] ?? c.from.kind} ${c.from.entryId}${c.locale === locale ? '' : ` (${LANGUAGES[c.locale] ?? c.locale})`}`,
    before: outcomeText(c.before, c.locale, questions),
    after: outcomeText(c.after, c.locale, questions),
    lost: c.before.reply === 'answer' && c.before.entryId === c.from.entryId && c.after.entryId !== c.from.entryId,
  }));
}

/** "3 questions would get a different answer (of 1,795 checked)." */
export function diffSummary(changed: number, checked: number): string {
  const n = changed === 1 ? '1 question' : `${changed.toLocaleString('en-US')} questions`;
  return `${n} would get a different answer (of ${checked.toLocaleString('en-US')} checked).`;
}
