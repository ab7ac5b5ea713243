import { Document } from 'flexsearch';
import type { Entry, Locale, Synonyms } from '../knowledge/entry.schema.js';
import { Analyzer } from './analyzer.js';

export interface MatchOptions {
  /** The lowest confidence (0..1) at which we answer. */
  threshold: number;
  /** The least lead the best entry must have over the second-best one. */
  minMargin: number;
}

export interface ScoredEntry {
  entry: Entry;
  /** Confidence in 0..1: see `Matcher.score`. */
  score: number;
  /** The best phrasing similarity alone (0..1). */
  phrasing: number;
}

export interface MatchResult {
  /** Candidates, best first. */
  ranked: ScoredEntry[];
  /** The entry to answer with, or null when the gate says fall back. */
  answer: ScoredEntry | null;
  /** Why there is no answer, for staff tools. */
  reason: 'answered' | 'no-terms' | 'below-threshold' | 'ambiguous' | 'off-topic';
  /** The question mentions one of the domain terms (ketamine, session, therapy...). */
  inDomain: boolean;
}

/** Weights of the transparent score. They add up to 1, so the score stays in 0..1. */
const PHRASING_WEIGHT = 0.65;
const COVERAGE_WEIGHT = 0.35;
/** An alternate phrasing counts slightly less than the canonical question. */
const ALTERNATE_FACTOR = 0.92;
/** A question word found only in the answer body counts half as much as one in a phrasing or tag. */
const BODY_CREDIT = 0.5;
const CANDIDATE_LIMIT = 60;
const IDF_FLOOR = 0.25;
const QUESTION_WORDS = new Set(['what', 'who', 'how', 'why', 'when', 'where']);
/**
 * A question that mentions nothing of the domain ("how much ibuprofen for a headache") is answered only
 * when it is very close to one of the reviewed phrasings ("will I feel nauseous after?").
 */
const OFF_DOMAIN_MIN_PHRASING = 0.5;

type Field = {
  id: string;
  question: string;
  alternates: string;
  tags: string;
  body: string;
};

interface Profile {
  entry: Entry;
  question: Set<string>;
  alternates: Array<Set<string>>;
  /** Tokens of phrasings and tags. */
  strong: Set<string>;
  body: Set<string>;
}

/**
 * Finds the reviewed entry that best answers a question. flexsearch retrieves candidates (it ranks
 * without scores); each candidate is then scored by us:
 *
 *   score = 0.65 * phrasing similarity + 0.35 * coverage
 *
 * - phrasing similarity: the best IDF-weighted cosine between the question's tokens and one of the
 *   entry's phrasings (the canonical question, or an alternate at 0.92);
 * - coverage: the IDF-weighted share of the question's tokens that the entry contains anywhere
 *   (phrasings and tags count fully, the answer body half).
 *
 * Words the corpus has never seen carry the highest weight, so an off-topic question ("capital of
 * France") scores near zero however common its other words are.
 */
export class Matcher {
  private readonly analyzer: Analyzer;
  private readonly byLocale = new Map<Locale, { index: Document<Field>; profiles: Map<string, Profile> }>();
  private readonly idf = new Map<string, number>();
  private readonly unknownIdf: number;
  private readonly domainTokens: Set<string>;

  constructor(
    entries: Entry[],
    synonyms: Synonyms,
    private readonly options: MatchOptions,
  ) {
    this.analyzer = new Analyzer(synonyms);
    this.domainTokens = new Set(synonyms.domainTerms.flatMap((t) => this.analyzer.document(t)));
    for (const e of entries) this.analyzer.learn([e.question, ...e.alternates, ...e.tags, e.body].join('\n'));

    const documentFrequency = new Map<string, number>();
    const tokenString = (tokens: string[]) => tokens.join(' ');
    for (const entry of entries) {
      const question = this.analyzer.document(entry.question);
      const alternates = entry.alternates.map((a) => this.analyzer.document(a));
      const tags = entry.tags.flatMap((t) => this.analyzer.document(t));
      const body = this.analyzer.document(entry.body);
      const profile: Profile = {
        entry,
        question: new Set(question),
        alternates: alternates.map((a) => new Set(a)),
        strong: new Set([...question, ...alternates.flat(), ...tags]),
        body: new Set(body),
      };
      for (const t of new Set([...profile.strong, ...profile.body])) {
        documentFrequency.set(t, (documentFrequency.get(t) ?? 0) + 1);
      }
      let locale = this.byLocale.get(entry.locale);
      if (!locale) {
        locale = { index: newIndex(), profiles: new Map() };
        this.byLocale.set(entry.locale, locale);
      }
      locale.profiles.set(entry.id, profile);
      locale.index.add({
        id: entry.id,
        question: tokenString(question),
        alternates: alternates.map(tokenString).join(' '),
        tags: tokenString(tags),
        body: tokenString(body),
      });
    }
    // BM25's IDF: near 0 for a word in every entry, highest for a word in none.
    const n = entries.length;
    // Floored, so that a word in every entry ("ketamine") still counts when it is the whole question.
    const idf = (df: number) => Math.max(IDF_FLOOR, Math.log(1 + (n - df + 0.5) / (df + 0.5)));
    for (const [t, df] of documentFrequency) this.idf.set(t, idf(df));
    this.unknownIdf = idf(0);
  }

  /** Tokens of a visitor's text, as the matcher sees them (for staff tools and tests). */
  tokens(text: string): string[] {
    return this.analyzer.query(text);
  }

  match(text: string, locale: Locale): MatchResult {
    const tokens = [...new Set(this.analyzer.query(text))];
    const target = this.byLocale.get(locale) ?? this.byLocale.get('en');
    // "what?" or "how?" alone asks nothing we could look up.
    const inDomain = tokens.some((t) => this.domainTokens.has(t));
    if (!target || tokens.every((t) => QUESTION_WORDS.has(t))) return { ranked: [], answer: null, reason: 'no-terms', inDomain };

    const hits = target.index.search({ query: tokens.join(' '), suggest: true, limit: CANDIDATE_LIMIT, merge: true });
    const ranked = hits
      .map((hit) => target.profiles.get(String(hit.id)))
      .filter((p): p is Profile => p !== undefined)
      .map((p) => this.score(tokens, p))
      .sort((a, b) => b.score - a.score || a.entry.id.localeCompare(b.entry.id));

    const [best, second] = ranked;
    if (!best || best.score < this.options.threshold) return { ranked, answer: null, reason: 'below-threshold', inDomain };
    if (!inDomain && best.phrasing < OFF_DOMAIN_MIN_PHRASING) return { ranked, answer: null, reason: 'off-topic', inDomain };
    if (second && best.score - second.score < this.options.minMargin)
      return { ranked, answer: null, reason: 'ambiguous', inDomain };
    return { ranked, answer: best, reason: 'answered', inDomain };
  }

  private weight(token: string): number {
    return this.idf.get(token) ?? this.unknownIdf;
  }

  private score(tokens: string[], p: Profile): ScoredEntry {
    const phrasing = Math.max(
      this.cosine(tokens, p.question),
      ...p.alternates.map((a) => ALTERNATE_FACTOR * this.cosine(tokens, a)),
    );
    let covered = 0;
    let total = 0;
    for (const t of tokens) {
      const w = this.weight(t);
      total += w;
      if (p.strong.has(t)) covered += w;
      else if (p.body.has(t)) covered += BODY_CREDIT * w;
    }
    const coverage = total > 0 ? covered / total : 0;
    return { entry: p.entry, score: PHRASING_WEIGHT * phrasing + COVERAGE_WEIGHT * coverage, phrasing };
  }

  /** Cosine similarity of two token sets with IDF weights. */
  private cosine(query: string[], phrasing: Set<string>): number {
    let dot = 0;
    let qNorm = 0;
    let pNorm = 0;
    for (const t of query) {
      const w2 = this.weight(t) ** 2;
      qNorm += w2;
      if (phrasing.has(t)) dot += w2;
    }
    for (const t of phrasing) pNorm += this.weight(t) ** 2;
    return dot === 0 ? 0 : dot / Math.sqrt(qNorm * pNorm);
  }
}

function newIndex(): Document<Field> {
  // Text arrives already analysed (normalised, stemmed, synonyms replaced): flexsearch only splits it.
  const encode = (s: string) => s.split(' ').filter(Boolean);
  return new Document<Field>({
    document: {
      id: 'id',
      index: [
        { field: 'question', tokenize: 'strict', encode },
        { field: 'alternates', tokenize: 'strict', encode },
        { field: 'tags', tokenize: 'strict', encode },
        { field: 'body', tokenize: 'strict', encode },
      ],
    },
  });
}
