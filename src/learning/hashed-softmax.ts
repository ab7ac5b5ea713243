import { seededRandom } from './logistic.js';

/**
 * Multinomial (softmax) logistic regression whose weights live in one fixed-size hashed table, so that
 * memory does not grow with features x classes (at 10,000 classes a dense table would need gigabytes).
 *
 * Layout: classes are taken in groups of up to 64. A (feature, group) pair hashes to a block of
 * `groupWidth` consecutive weights, one per class of the group. With up to 64 classes (one group) this
 * is exactly the dense feature-major layout of `trainMultinomial` with hashed features: a prediction
 * adds one contiguous block per feature. With more classes, a prediction reads only the groups of the
 * candidate classes, and training uses sampled softmax: each example's softmax runs over its own class
 * and some negatives (given by the caller, plus random ones), not over every class.
 *
 * Training is the same deterministic AdaGrad SGD as `logistic.ts` (seeded shuffle, L2 on touched
 * weights): the same data and options always give the same weights.
 */

export interface HashedSoftmaxModel {
  classes: number;
  /** Classes per group (at most 64). */
  groupWidth: number;
  /** log2 of the number of blocks. */
  blockBits: number;
  /** blocks * groupWidth weights. */
  weights: Float32Array;
  bias: Float32Array;
}

export interface HashedSoftmaxExample {
  /** 32-bit feature hashes, without repeats. */
  features: Int32Array;
  label: number;
  /** Classes to contrast with this example when not every class can be (more than one group). */
  negatives?: Int32Array;
}

export interface HashedSoftmaxOptions {
  epochs?: number;
  learningRate?: number;
  l2?: number;
  seed?: number;
  blockBits: number;
  /** Random negatives added to each example's own, with more than one group. */
  randomNegatives?: number;
}

export const MAX_GROUP = 64;

/** murmur3's finaliser: spreads the bits of a hash. */
export function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Where a feature's block for a group of classes starts. */
export function blockStart(model: Pick<HashedSoftmaxModel, 'groupWidth' | 'blockBits'>, feature: number, group: number): number {
  const mask = (1 << model.blockBits) - 1;
  return (mix32(feature ^ Math.imul(group + 1, 0x9e3779b1)) & mask) * model.groupWidth;
}

export function emptyModel(classes: number, blockBits: number): HashedSoftmaxModel {
  const groupWidth = Math.min(MAX_GROUP, Math.max(1, classes));
  return {
    classes,
    groupWidth,
    blockBits,
    weights: new Float32Array((1 << blockBits) * groupWidth),
    bias: new Float32Array(classes),
  };
}

/**
 * Raw scores (logits) of the given classes, written into `out` (one per candidate, in order). Pass
 * `null` to score every class (one group only).
 */
export function logits(model: HashedSoftmaxModel, features: Int32Array, candidates: Int32Array | null, out: Float64Array): Float64Array {
  const { weights, bias, groupWidth } = model;
  if (candidates === null) {
    const n = model.classes;
    for (let c = 0; c < n; c++) out[c] = bias[c];
    for (let i = 0; i < features.length; i++) {
      const base = blockStart(model, features[i], 0);
      for (let c = 0; c < n; c++) out[c] += weights[base + c];
    }
    return out;
  }
  // Each (feature, group) block is located once per call, however many candidates share the group.
  const starts = new Map<number, Int32Array>();
  for (let k = 0; k < candidates.length; k++) {
    const c = candidates[k];
    const group = Math.floor(c / groupWidth);
    const offset = c - group * groupWidth;
    const blocks = groupStarts(model, features, group, starts);
    let z = bias[c];
    for (let i = 0; i < blocks.length; i++) z += weights[blocks[i] + offset];
    out[k] = z;
  }
  return out;
}

/** The block starts of every feature for one group of classes, computed once per group and reused. */
function groupStarts(
  model: Pick<HashedSoftmaxModel, 'groupWidth' | 'blockBits'>,
  features: Int32Array,
  group: number,
  cache: Map<number, Int32Array>,
): Int32Array {
  let blocks = cache.get(group);
  if (!blocks) {
    blocks = new Int32Array(features.length);
    for (let i = 0; i < features.length; i++) blocks[i] = blockStart(model, features[i], group);
    cache.set(group, blocks);
  }
  return blocks;
}

/** Turns logits into probabilities in place (the first `n` values). */
export function softmaxInPlace(values: Float64Array, n: number): void {
  let max = -Infinity;
  for (let i = 0; i < n; i++) if (values[i] > max) max = values[i];
  let sum = 0;
  for (let i = 0; i < n; i++) {
    values[i] = Math.exp(values[i] - max);
    sum += values[i];
  }
  for (let i = 0; i < n; i++) values[i] /= sum;
}

export function trainHashedSoftmax(examples: HashedSoftmaxExample[], classes: number, options: HashedSoftmaxOptions): HashedSoftmaxModel {
  const { epochs = 12, learningRate = 0.4, l2 = 1e-6, seed = 1, randomNegatives = 4 } = options;
  const model = emptyModel(classes, options.blockBits);
  const { weights, bias, groupWidth } = model;
  const squares = new Float32Array(weights.length).fill(1e-8);
  const biasSquares = new Float64Array(classes).fill(1e-8);
  const random = seededRandom(seed);
  const oneGroup = classes <= groupWidth;
  const scores = new Float64Array(oneGroup ? classes : 1 + randomNegatives + 256);
  const allClasses = oneGroup ? Int32Array.from({ length: classes }, (_, i) => i) : null;
  // With one group, each example's block starts are the same every epoch: computed once.
  const starts = oneGroup ? examples.map((x) => Int32Array.from(x.features, (f) => blockStart(model, f, 0))) : null;

  const order = Array.from({ length: examples.length }, (_, i) => i);
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (const index of order) {
      const x = examples[index];
      const candidates = allClasses ?? sampleCandidates(x, classes, randomNegatives, random);
      const n = candidates.length;
      const perGroup = new Map<number, Int32Array>();
      if (starts) {
        const blocks = starts[index];
        for (let c = 0; c < n; c++) scores[c] = bias[c];
        for (let f = 0; f < blocks.length; f++) {
          const base = blocks[f];
          for (let c = 0; c < n; c++) scores[c] += weights[base + c];
        }
      } else {
        for (let k = 0; k < n; k++) {
          const c = candidates[k];
          const group = Math.floor(c / groupWidth);
          const blocks = groupStarts(model, x.features, group, perGroup);
          let z = bias[c];
          for (let f = 0; f < blocks.length; f++) z += weights[blocks[f] + c - group * groupWidth];
          scores[k] = z;
        }
      }
      softmaxInPlace(scores, n);
      for (let k = 0; k < n; k++) {
        const c = candidates[k];
        const g = scores[k] - (c === x.label ? 1 : 0);
        if (Math.abs(g) < 1e-4) continue;
        biasSquares[c] += g * g;
        bias[c] -= (learningRate * g) / Math.sqrt(biasSquares[c]);
        const group = Math.floor(c / groupWidth);
        const offset = c - group * groupWidth;
        const blocks = starts ? starts[index] : groupStarts(model, x.features, group, perGroup);
        for (let f = 0; f < x.features.length; f++) {
          const slot = blocks[f] + offset;
          const gf = g + l2 * weights[slot];
          squares[slot] += gf * gf;
          weights[slot] -= (learningRate * gf) / Math.sqrt(squares[slot]);
        }
      }
    }
  }
  return model;
}

/** The example's own class first, then its given negatives, then distinct random classes. */
function sampleCandidates(x: HashedSoftmaxExample, classes: number, randomCount: number, random: () => number): Int32Array {
  const chosen = new Set<number>([x.label]);
  for (const c of x.negatives ?? []) if (chosen.size < 256) chosen.add(c);
  const want = Math.min(classes, chosen.size + randomCount);
  while (chosen.size < want) chosen.add(Math.floor(random() * classes));
  return Int32Array.from(chosen);
}
