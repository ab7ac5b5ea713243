import { createHash } from 'node:crypto';
import type { Locale, Synonyms } from '../knowledge/entry.schema.js';
import {
  logits,
  softmaxInPlace,
  trainHashedSoftmax,
  MAX_GROUP,
  type HashedSoftmaxExample,
  type HashedSoftmaxModel,
} from '../learning/hashed-softmax.js';
import { Analyzer, type Analysis } from './analyzer.js';
import { featureHashes } from './features.js';
import { LANGUAGES } from './languages.js';

/**
 * The learned signal: a softmax classifier over a locale's entries, trained on the entries' own
 * phrasings (question and alternates) with word, word-pair and character n-gram features. It learns
 * which words and word pieces tell entries apart, where the lexical score only counts shared words.
 */

/**
 * Bump when features, training or the analyser change (stemming, normalisation, the numbers rule): cached
 * weights of another version are never used. The language's stop words are part of the key by themselves.
 */
export const CLASSIFIER_VERSION = 2;

export interface ClassifierTrainingSet {
  locale: Locale;
  synonyms: Synonyms;
  /** Entry ids; a class is an index into this list. */
  classes: string[];
  phrasings: Array<{ text: string; label: number }>;
}

export interface ClassifierTrainingOptions {
  epochs: number;
  learningRate: number;
  l2: number;
  seed: number;
}

export const DEFAULT_TRAINING: ClassifierTrainingOptions = { epochs: 20, learningRate: 0.05, l2: 1e-6, seed: 1 };

/** Everything training depends on, hashed: the cache key of its weights. */
export function trainingKey(set: ClassifierTrainingSet, options: ClassifierTrainingOptions): string {
  return createHash('sha256')
    .update(JSON.stringify([CLASSIFIER_VERSION, options, set.locale, [...LANGUAGES[set.locale].stopWords], set.synonyms, set.classes, set.phrasings]))
    .digest('hex')
    .slice(0, 24);
}

/** Up to 65,536 blocks of up to 64 weights: at most 16 MB per locale, whatever the corpus size. */
const MAX_BLOCK_BITS = 16;
/**
 * With more than 64 entries (sampled softmax, weights read at scattered places) a smaller table trains
 * and answers faster, because it stays in the processor's cache: 16,384 blocks, 4 MB.
 */
const MAX_BLOCK_BITS_MANY = 14;

/** Trains the classifier (CPU-bound: run it in a worker, see classifier-trainer.ts). */
export function trainClassifier(set: ClassifierTrainingSet, options: ClassifierTrainingOptions = DEFAULT_TRAINING): HashedSoftmaxModel {
  const analyzer = new Analyzer(LANGUAGES[set.locale], set.synonyms);
  const analysed = set.phrasings.map((p) => ({ ...analyzer.analyseDocument(p.text), label: p.label }));
  const classes = set.classes.length;
  const examples: HashedSoftmaxExample[] = analysed.map((a) => ({ features: featureHashes(a), label: a.label }));
  if (classes > MAX_GROUP) addNegatives(examples, analysed);
  // Blocks for about two per distinct feature (fewer collisions), within the cap.
  const distinct = new Set<number>();
  for (const x of examples) for (const f of x.features) distinct.add(f);
  const groups = Math.ceil(classes / MAX_GROUP);
  const blockBits = Math.min(groups > 1 ? MAX_BLOCK_BITS_MANY : MAX_BLOCK_BITS, Math.max(10, Math.ceil(Math.log2(2 * distinct.size * Math.min(groups, 4)))));
  // Sampled softmax over many classes sees each example against fewer classes: fewer passes suffice.
  const epochs = classes > MAX_GROUP ? Math.min(options.epochs, 4) : options.epochs;
  return trainHashedSoftmax(examples, Math.max(1, classes), { ...options, epochs, blockBits });
}

/**
 * Negatives for sampled softmax (more than 64 classes): the classes that share a phrasing's rarest
 * tokens, the ones it is most easily confused with.
 */
function addNegatives(examples: HashedSoftmaxExample[], analysed: Array<Analysis & { label: number }>): void {
  const byToken = new Map<string, Set<number>>();
  for (const a of analysed) for (const t of a.tokens) (byToken.get(t) ?? byToken.set(t, new Set()).get(t)!).add(a.label);
  analysed.forEach((a, i) => {
    const rare = [...new Set(a.tokens)].sort((x, y) => byToken.get(x)!.size - byToken.get(y)!.size).slice(0, 3);
    const negatives = new Set<number>();
    for (const t of rare) for (const c of byToken.get(t)!) if (c !== a.label && negatives.size < 8) negatives.add(c);
    examples[i].negatives = Int32Array.from(negatives);
  });
}

/** A trained classifier, ready to score questions. */
export class PhrasingClassifier {
  private readonly scratch: Float64Array;

  constructor(
    readonly model: HashedSoftmaxModel,
    /** Training time in ms, or null when the weights came from the cache. */
    readonly trainedInMs: number | null = null,
  ) {
    this.scratch = new Float64Array(Math.max(model.classes, 1));
  }

  get classes(): number {
    return this.model.classes;
  }

  /**
   * Probabilities over every class (up to 64 classes), or over the given candidates only, as a new
   * array in the candidates' order.
   */
  probabilities(features: Int32Array, candidates: Int32Array | null): Float64Array {
    const scored = candidates === null && this.model.classes <= MAX_GROUP ? null : (candidates ?? new Int32Array(0));
    const n = scored === null ? this.model.classes : scored.length;
    logits(this.model, features, scored, this.scratch);
    softmaxInPlace(this.scratch, n);
    return this.scratch.slice(0, n);
  }
}

/** The model as bytes (for the cache): a JSON header line, then the weights and biases. */
export function serializeModel(model: HashedSoftmaxModel): Buffer {
  const header = Buffer.from(
    `${JSON.stringify({ version: CLASSIFIER_VERSION, classes: model.classes, groupWidth: model.groupWidth, blockBits: model.blockBits })}\n`,
  );
  return Buffer.concat([
    header,
    Buffer.from(model.weights.buffer, model.weights.byteOffset, model.weights.byteLength),
    Buffer.from(model.bias.buffer, model.bias.byteOffset, model.bias.byteLength),
  ]);
}

export function deserializeModel(bytes: Buffer): HashedSoftmaxModel | null {
  const end = bytes.indexOf(0x0a);
  if (end < 0) return null;
  try {
    const header = JSON.parse(bytes.subarray(0, end).toString('utf8')) as {
      version: number;
      classes: number;
      groupWidth: number;
      blockBits: number;
    };
    if (header.version !== CLASSIFIER_VERSION) return null;
    const weightCount = (1 << header.blockBits) * header.groupWidth;
    const start = end + 1;
    if (bytes.length !== start + 4 * (weightCount + header.classes)) return null;
    // Copied into fresh, aligned memory.
    const floats = new Float32Array(weightCount + header.classes);
    new Uint8Array(floats.buffer).set(bytes.subarray(start));
    return {
      classes: header.classes,
      groupWidth: header.groupWidth,
      blockBits: header.blockBits,
      weights: floats.subarray(0, weightCount),
      bias: floats.subarray(weightCount),
    };
  } catch {
    return null;
  }
}
