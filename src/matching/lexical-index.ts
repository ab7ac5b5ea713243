/**
 * The transparent lexical signal, with everything that does not depend on the question computed once
 * per corpus: token ids, IDF weights, each phrasing's norm, and inverted lists from a token to the
 * phrasings and entries that contain it. A question then costs one pass over the lists of its own
 * tokens (no per-entry, per-phrasing recomputation):
 *
 *   lexical = 0.65 * phrasing similarity + 0.35 * coverage
 *
 * - phrasing similarity: the best IDF-weighted cosine between the question's tokens and one of the
 *   entry's phrasings (the canonical question, or an alternate at 0.92);
 * - coverage: the IDF-weighted share of the question's tokens that the entry contains anywhere
 *   (phrasings and tags count fully, the answer body half).
 *
 * Words the corpus has never seen carry the highest weight, so an off-topic question ("capital of
 * France") scores near zero however common its other words are.
 */

/** One entry's text, already analysed into tokens. */
export interface LexicalDocument {
  question: string[];
  alternates: string[][];
  tags: string[];
  body: string[];
}

export interface LexicalScore {
  /** Index of the entry in the documents given to the index. */
  entry: number;
  /** 0..1 */
  score: number;
  /** The best phrasing similarity alone (0..1). */
  phrasing: number;
}

/** Weights of the score. They add up to 1, so the score stays in 0..1. */
export const PHRASING_WEIGHT = 0.65;
export const COVERAGE_WEIGHT = 0.35;
/** An alternate phrasing counts slightly less than the canonical question. */
const ALTERNATE_FACTOR = 0.92;
/** A question word found only in the answer body counts half as much as one in a phrasing or tag. */
const BODY_CREDIT = 0.5;
/** Floored, so that a word in every entry ("ketamine") still counts when it is the whole question. */
const IDF_FLOOR = 0.25;

export class LexicalIndex {
  readonly size: number;
  private readonly tokenIds = new Map<string, number>();
  private readonly idf: Float64Array;
  readonly unknownIdf: number;
  /** Per phrasing: its entry, its factor (question 1, alternate 0.92), its squared norm. */
  private readonly phrasingEntry: Int32Array;
  private readonly phrasingFactor: Float64Array;
  private readonly phrasingNormSq: Float64Array;
  /** Per token: the phrasings that contain it; the entries that contain it strongly, or in the body only. */
  private readonly phrasingPostings: Int32Array[];
  private readonly strongPostings: Int32Array[];
  private readonly bodyPostings: Int32Array[];
  /** Per entry, its phrasings' token ids and its strong and body token ids (sorted), for direct scoring. */
  private readonly entryPhrasings: Int32Array[][];
  private readonly entryStrong: Int32Array[];
  private readonly entryBody: Int32Array[];
  // Scratch space, reused by every query (the matcher runs one query at a time).
  private readonly dot: Float64Array;
  private readonly covered: Float64Array;
  private readonly best: Float64Array;
  private readonly touchedPhrasings: Int32Array;
  private readonly touchedEntries: Int32Array;
  private readonly seen: Uint8Array;

  constructor(documents: LexicalDocument[]) {
    this.size = documents.length;
    const id = (t: string) => {
      let i = this.tokenIds.get(t);
      if (i === undefined) {
        i = this.tokenIds.size;
        this.tokenIds.set(t, i);
      }
      return i;
    };
    const unique = (tokens: string[]) => Int32Array.from(new Set(tokens.map(id))).sort();
    this.entryPhrasings = documents.map((d) => [d.question, ...d.alternates].map(unique));
    this.entryStrong = documents.map((d) => unique([...d.question, ...d.alternates.flat(), ...d.tags]));
    this.entryBody = documents.map((d) => unique(d.body));

    const tokens = this.tokenIds.size;
    const df = new Int32Array(tokens);
    const strong: number[][] = Array.from({ length: tokens }, () => []);
    const body: number[][] = Array.from({ length: tokens }, () => []);
    this.entryStrong.forEach((ids, e) => {
      for (const t of ids) strong[t].push(e);
    });
    this.entryBody.forEach((ids, e) => {
      const inStrong = new Set(this.entryStrong[e]);
      for (const t of ids) if (!inStrong.has(t)) body[t].push(e);
    });
    for (let t = 0; t < tokens; t++) df[t] = strong[t].length + body[t].length;
    // BM25's IDF: near 0 for a word in every entry, highest for a word in none.
    const n = documents.length;
    const idf = (d: number) => Math.max(IDF_FLOOR, Math.log(1 + (n - d + 0.5) / (d + 0.5)));
    this.idf = Float64Array.from(df, idf);
    this.unknownIdf = idf(0);
    this.strongPostings = strong.map((l) => Int32Array.from(l));
    this.bodyPostings = body.map((l) => Int32Array.from(l));

    const phrasingCount = this.entryPhrasings.reduce((s, p) => s + p.length, 0);
    this.phrasingEntry = new Int32Array(phrasingCount);
    this.phrasingFactor = new Float64Array(phrasingCount);
    this.phrasingNormSq = new Float64Array(phrasingCount);
    const postings: number[][] = Array.from({ length: tokens }, () => []);
    let p = 0;
    this.entryPhrasings.forEach((phrasings, e) => {
      phrasings.forEach((ids, k) => {
        this.phrasingEntry[p] = e;
        this.phrasingFactor[p] = k === 0 ? 1 : ALTERNATE_FACTOR;
        let norm = 0;
        for (const t of ids) {
          norm += this.idf[t] ** 2;
          postings[t].push(p);
        }
        this.phrasingNormSq[p] = norm;
        p++;
      });
    });
    this.phrasingPostings = postings.map((l) => Int32Array.from(l));

    this.dot = new Float64Array(phrasingCount);
    this.touchedPhrasings = new Int32Array(phrasingCount);
    this.covered = new Float64Array(n);
    this.best = new Float64Array(n);
    this.touchedEntries = new Int32Array(n);
    this.seen = new Uint8Array(n);
  }

  /** The IDF weight of a token (the unknown-word weight for one the corpus never uses). */
  weight(token: string): number {
    const t = this.tokenIds.get(token);
    return t === undefined ? this.unknownIdf : this.idf[t];
  }

  /** The IDF-weighted share of a question's tokens that the corpus contains (0..1; 0 for none). */
  knownShare(queryTokens: string[]): number {
    let known = 0;
    let total = 0;
    for (let i = 0; i < queryTokens.length; i++) {
      if (queryTokens.indexOf(queryTokens[i]) !== i) continue;
      const t = this.tokenIds.get(queryTokens[i]);
      const w = t === undefined ? this.unknownIdf : this.idf[t];
      total += w;
      if (t !== undefined) known += w;
    }
    return total === 0 ? 0 : known / total;
  }

  /**
   * Scores every entry that shares a token with the question, through the inverted lists. Returns
   * entries with a score above zero, unordered.
   */
  scoreAll(queryTokens: string[]): LexicalScore[] {
    const out: LexicalScore[] = [];
    this.accumulate(queryTokens, (entry, score, phrasing) => out.push({ entry, score, phrasing }));
    return out;
  }

  /**
   * The same as scoreAll, written into arrays indexed by entry (which must hold zeros), without
   * allocating: the per-question path for corpora scored whole.
   */
  scoreInto(queryTokens: string[], scores: Float64Array, phrasings: Float64Array): void {
    this.accumulate(queryTokens, (entry, score, phrasing) => {
      scores[entry] = score;
      phrasings[entry] = phrasing;
    });
  }

  private accumulate(queryTokens: string[], sink: (entry: number, score: number, phrasing: number) => void): void {
    const ids: number[] = [];
    const weights: number[] = [];
    let normSq = 0;
    let total = 0;
    for (let i = 0; i < queryTokens.length; i++) {
      const token = queryTokens[i];
      if (queryTokens.indexOf(token) !== i) continue;
      const t = this.tokenIds.get(token);
      const w = t === undefined ? this.unknownIdf : this.idf[t];
      normSq += w * w;
      total += w;
      if (t !== undefined) {
        ids.push(t);
        weights.push(w);
      }
    }
    if (total === 0) return;
    let phrasings = 0;
    let entries = 0;
    for (let i = 0; i < ids.length; i++) {
      const t = ids[i];
      const w = weights[i];
      const w2 = w * w;
      for (const p of this.phrasingPostings[t]) {
        if (this.dot[p] === 0) this.touchedPhrasings[phrasings++] = p;
        this.dot[p] += w2;
      }
      for (const e of this.strongPostings[t]) {
        if (!this.seen[e]) {
          this.seen[e] = 1;
          this.touchedEntries[entries++] = e;
        }
        this.covered[e] += w;
      }
      for (const e of this.bodyPostings[t]) {
        if (!this.seen[e]) {
          this.seen[e] = 1;
          this.touchedEntries[entries++] = e;
        }
        this.covered[e] += BODY_CREDIT * w;
      }
    }
    for (let i = 0; i < phrasings; i++) {
      const p = this.touchedPhrasings[i];
      const cosine = (this.phrasingFactor[p] * this.dot[p]) / Math.sqrt(normSq * this.phrasingNormSq[p]);
      const e = this.phrasingEntry[p];
      if (cosine > this.best[e]) this.best[e] = cosine;
      this.dot[p] = 0;
    }
    for (let i = 0; i < entries; i++) {
      const e = this.touchedEntries[i];
      const phrasing = this.best[e];
      sink(e, PHRASING_WEIGHT * phrasing + (COVERAGE_WEIGHT * this.covered[e]) / total, phrasing);
      this.best[e] = 0;
      this.covered[e] = 0;
      this.seen[e] = 0;
    }
  }

  /** Scores the given entries only (candidates from another index), directly from their token lists. */
  scoreSome(queryTokens: string[], candidates: Iterable<number>): LexicalScore[] {
    const query = new Map<number, number>();
    let normSq = 0;
    let total = 0;
    for (const token of new Set(queryTokens)) {
      const t = this.tokenIds.get(token);
      const w = t === undefined ? this.unknownIdf : this.idf[t];
      normSq += w * w;
      total += w;
      if (t !== undefined) query.set(t, w);
    }
    if (total === 0) return [];
    const out: LexicalScore[] = [];
    for (const e of candidates) {
      let phrasing = 0;
      this.entryPhrasings[e].forEach((ids, k) => {
        let dot = 0;
        let norm = 0;
        for (const t of ids) {
          const w = this.idf[t];
          norm += w * w;
          if (query.has(t)) dot += w * w;
        }
        if (dot > 0) phrasing = Math.max(phrasing, ((k === 0 ? 1 : ALTERNATE_FACTOR) * dot) / Math.sqrt(normSq * norm));
      });
      let covered = 0;
      for (const [t, w] of query) {
        if (contains(this.entryStrong[e], t)) covered += w;
        else if (contains(this.entryBody[e], t)) covered += BODY_CREDIT * w;
      }
      if (covered > 0) out.push({ entry: e, score: PHRASING_WEIGHT * phrasing + (COVERAGE_WEIGHT * covered) / total, phrasing });
    }
    return out;
  }
}

function contains(sorted: Int32Array, value: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = sorted[mid];
    if (v === value) return true;
    if (v < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}
