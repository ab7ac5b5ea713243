import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { sigmoid } from '../learning/logistic.js';
import type { TaggedClause } from './grammar.js';
import { readText } from './text.js';

/**
 * The safety screen's learned second opinion: logistic regression over words, word pairs and the letter
 * sequences inside words (so "unalive", "k1ll" or a new misspelling still share features with what it was
 * trained on). It was trained on the project's own labelled messages (knowledge/safety/training), written
 * for training by people who did not look at the lexicon, and on every corpus phrasing as a hard negative.
 * Its weights are reviewable data (knowledge/safety/classifier.json), made by `npm run train:screen`.
 *
 * It may only raise a level (screen.ts): it gives a probability that a message is a crisis.
 */
export const classifierFileSchema = z
  .object({
    /** What the weights were trained on: a hash of the training files, checked by the test suite. */
    trainedOn: z.string(),
    thresholds: z.object({ crisis: z.number().min(0).max(1), concern: z.number().min(0).max(1), question: z.number().min(0).max(1).optional() }),
    bias: z.number(),
    /** Feature -> weight, sorted by feature. */
    weights: z.record(z.string(), z.number()),
  })
  .strict();
export type ClassifierFile = z.infer<typeof classifierFileSchema>;

/**
 * The features of a text, as strings (the same for training and for screening): words, word pairs,
 * letter sequences, and, read by the lexicon, its concepts and which concept follows which (so "wanna
 * disappear for good" shares features with "want to die" through DESIRE and DIE).
 */
export function features(text: string, clauses: TaggedClause[] = []): string[] {
  const out = new Set<string>();
  for (const c of clauses) {
    const seq: Array<{ concept: string; at: number }> = [];
    c.tags.forEach((tags, i) => {
      for (const t of tags) {
        out.add(`k:${t.concept}`);
        seq.push({ concept: t.concept, at: i });
      }
    });
    for (let a = 0; a < seq.length; a++)
      for (let b = a + 1; b < seq.length && seq[b].at - seq[a].at <= 5; b++) out.add(`kk:${seq[a].concept}>${seq[b].concept}`);
  }
  for (const sentence of readText(text)) {
    const words = sentence.clauses.flatMap((c) => c.words);
    for (let i = 0; i < words.length; i++) {
      const w = words[i];
      out.add(`w:${w}`);
      if (i + 1 < words.length) out.add(`b:${w} ${words[i + 1]}`);
      // Letter sequences of 3 and 4 inside the word, with its edges marked.
      const padded = `<${w}>`;
      for (let n = 3; n <= 4; n++) for (let k = 0; k + n <= padded.length; k++) out.add(`c:${padded.slice(k, k + n)}`);
    }
    if (sentence.question) out.add('q:?');
  }
  return [...out];
}

export class CrisisClassifier {
  private readonly weights: Map<string, number>;
  private readonly bias: number;
  readonly thresholds: ClassifierFile['thresholds'];
  readonly trainedOn: string;
  /** Each weighted feature's number, and its weight by number: a message's sum is then plain arithmetic. */
  private readonly ids: Map<string, number>;
  private readonly weightOf: Float64Array;
  /** Per word: the numbers of its `w:` feature and of its letter sequences that carry a weight (cached). */
  private readonly wordFeatures = new Map<string, { word: number; letters: Int32Array }>();
  /** Which features a message has counted already (by stamp, so nothing is cleared between messages). */
  private readonly counted: Uint32Array;
  private stamp = 0;

  constructor(file: ClassifierFile) {
    this.weights = new Map(Object.entries(file.weights));
    this.bias = file.bias;
    this.thresholds = file.thresholds;
    this.trainedOn = file.trainedOn;
    this.ids = new Map([...this.weights.keys()].map((f, i) => [f, i]));
    this.weightOf = Float64Array.from(this.weights.values());
    this.counted = new Uint32Array(this.weightOf.length);
  }

  static load(path: string): CrisisClassifier {
    const result = classifierFileSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    if (!result.success) throw new Error(`Invalid classifier ${path}: ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    return new CrisisClassifier(result.data);
  }

  /**
   * sigmoid(bias + the weights of `features(text, clauses)`), summed in the same order (so the result is
   * the same to the last bit) without building the feature strings: the screen's hot path.
   */
  probability(text: string, clauses: TaggedClause[] = []): number {
    const stamp = this.nextStamp();
    let z = this.bias;
    const add = (id: number | undefined) => {
      if (id !== undefined && id >= 0 && this.counted[id] !== stamp) {
        this.counted[id] = stamp;
        z += this.weightOf[id];
      }
    };
    for (const c of clauses) {
      const seq: Array<{ concept: string; at: number }> = [];
      c.tags.forEach((tags, i) => {
        for (const t of tags) {
          add(this.ids.get(`k:${t.concept}`));
          seq.push({ concept: t.concept, at: i });
        }
      });
      for (let a = 0; a < seq.length; a++)
        for (let b = a + 1; b < seq.length && seq[b].at - seq[a].at <= 5; b++) add(this.ids.get(`kk:${seq[a].concept}>${seq[b].concept}`));
    }
    for (const sentence of readText(text)) {
      const words = sentence.clauses.length === 1 ? sentence.clauses[0].words : sentence.clauses.flatMap((c) => c.words);
      for (let i = 0; i < words.length; i++) {
        const own = this.featuresOfWord(words[i]);
        add(own.word);
        if (i + 1 < words.length) add(this.ids.get(`b:${words[i]} ${words[i + 1]}`));
        for (const id of own.letters) add(id);
      }
      if (sentence.question) add(this.ids.get('q:?'));
    }
    return sigmoid(z);
  }

  private featuresOfWord(w: string): { word: number; letters: Int32Array } {
    let known = this.wordFeatures.get(w);
    if (!known) {
      const letters: number[] = [];
      const padded = `<${w}>`;
      for (let n = 3; n <= 4; n++)
        for (let k = 0; k + n <= padded.length; k++) {
          const id = this.ids.get(`c:${padded.slice(k, k + n)}`);
          if (id !== undefined) letters.push(id);
        }
      known = { word: this.ids.get(`w:${w}`) ?? -1, letters: Int32Array.from(letters) };
      if (this.wordFeatures.size > 50_000) this.wordFeatures.clear();
      this.wordFeatures.set(w, known);
    }
    return known;
  }

  private nextStamp(): number {
    if (this.stamp === 0xffffffff) {
      this.counted.fill(0);
      this.stamp = 0;
    }
    return ++this.stamp;
  }

  /** The features that pushed most, for staff tools. */
  explain(text: string, clauses: TaggedClause[] = [], top = 8): Array<{ feature: string; weight: number }> {
    return features(text, clauses)
      .map((feature) => ({ feature, weight: this.weights.get(feature) ?? 0 }))
      .filter((f) => f.weight !== 0)
      .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight))
      .slice(0, top);
  }
}
