import type { Decision } from '../chat/chat.service.js';
import { phrasingKey, type Corpus } from '../knowledge/corpus-loader.js';
import type { Locale } from '../knowledge/entry.schema.js';

/** A question the check asks: a phrasing of an entry, or a test question staff saved for it. */
export interface Probe {
  text: string;
  locale: Locale;
  /** Where the question comes from. */
  from: { entryId: string; kind: 'question' | 'alternate' | 'test-question' };
}

/** Where the pipeline sends a question: an entry's answer, or the kind of reply that is not one. */
export interface Outcome {
  reply: 'answer' | 'fallback' | 'crisis' | 'smalltalk' | 'other';
  entryId: string | null;
  /** The best candidate's confidence, when the matcher ran. */
  score: number | null;
}

export interface OutcomeChange extends Probe {
  before: Outcome;
  after: Outcome;
}

export function outcomeOf({ plan, match }: Decision): Outcome {
  const score = match?.ranked[0] ? Math.round(match.ranked[0].score * 1000) / 1000 : null;
  switch (plan.kind) {
    case 'answer':
      return { reply: 'answer', entryId: plan.entryId, score };
    case 'fallback':
      return { reply: 'fallback', entryId: null, score };
    case 'crisis':
      return { reply: 'crisis', entryId: null, score };
    case 'smalltalk':
      return { reply: 'smalltalk', entryId: null, score };
    default:
      return { reply: 'other', entryId: null, score };
  }
}

/**
 * Every phrasing of every entry in the given corpora (the live one and the one to publish) and every
 * saved test question, each once per locale (phrasings that differ only in case or punctuation count
 * as one).
 */
export function probesFor(corpora: Corpus[], testQuestions: Array<{ locale: Locale; entryId: string; text: string }>): Probe[] {
  const seen = new Set<string>();
  const probes: Probe[] = [];
  const add = (p: Probe) => {
    const key = `${p.locale}:${phrasingKey(p.text)}`;
    if (seen.has(key)) return;
    seen.add(key);
    probes.push(p);
  };
  for (const corpus of corpora) {
    for (const e of corpus.entries) {
      add({ text: e.question, locale: e.locale, from: { entryId: e.id, kind: 'question' } });
      for (const a of e.alternates) add({ text: a, locale: e.locale, from: { entryId: e.id, kind: 'alternate' } });
    }
  }
  for (const q of testQuestions) add({ text: q.text, locale: q.locale, from: { entryId: q.entryId, kind: 'test-question' } });
  return probes;
}

const same = (a: Outcome, b: Outcome) => a.reply === b.reply && a.entryId === b.entryId;
/** Questions run between two yields to the event loop, so live visitors are never held up for long. */
const SLICE = 50;

/**
 * Runs every probe through the pipeline with the live corpus (`before`) and the corpus to publish
 * (`after`), and returns the questions whose outcome would change: sent to another entry, or newly to
 * (or no longer to) the fallback or another kind of reply. Scores alone moving is not a change.
 */
export async function compareOutcomes(
  probes: Probe[],
  before: (p: Probe) => Outcome,
  after: (p: Probe) => Outcome,
): Promise<OutcomeChange[]> {
  const changes: OutcomeChange[] = [];
  for (let i = 0; i < probes.length; i++) {
    if (i > 0 && i % SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
    const probe = probes[i];
    const was = before(probe);
    const will = after(probe);
    if (!same(was, will)) changes.push({ ...probe, before: was, after: will });
  }
  return changes;
}
