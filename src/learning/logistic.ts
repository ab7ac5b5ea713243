/**
 * Logistic regression over sparse features, written here (a few dozen lines) rather than pulled in with
 * a machine-learning library: the models are small, training must be deterministic (the same data always
 * gives the same weights, so shipped weights can be checked), and nothing is downloaded.
 *
 * Training is full-batch-free stochastic gradient descent with AdaGrad step sizes and L2 regularisation,
 * in a fixed order shuffled by a seeded generator.
 */

/** A sparse example: the indices of its (binary) features. */
export type SparseVector = Int32Array | number[];

export interface TrainOptions {
  epochs?: number;
  learningRate?: number;
  l2?: number;
  seed?: number;
  /** Weight of positive examples relative to negative ones (class imbalance). */
  positiveWeight?: number;
}

/** A seeded generator (mulberry32): the same seed, the same sequence. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled(n: number, random: () => number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

export const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** Binary logistic regression: weights per feature index, and a bias. */
export function trainBinary(
  examples: SparseVector[],
  labels: number[],
  dimensions: number,
  options: TrainOptions = {},
): { weights: Float64Array; bias: number } {
  const { epochs = 20, learningRate = 0.5, l2 = 1e-4, seed = 1, positiveWeight = 1 } = options;
  const weights = new Float64Array(dimensions);
  const squares = new Float64Array(dimensions).fill(1e-8);
  let bias = 0;
  let biasSquares = 1e-8;
  const random = seededRandom(seed);
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (const i of shuffled(examples.length, random)) {
      const x = examples[i];
      let z = bias;
      for (const f of x) z += weights[f];
      const y = labels[i];
      const g = (sigmoid(z) - y) * (y === 1 ? positiveWeight : 1);
      biasSquares += g * g;
      bias -= (learningRate * g) / Math.sqrt(biasSquares);
      for (const f of x) {
        const gf = g + l2 * weights[f];
        squares[f] += gf * gf;
        weights[f] -= (learningRate * gf) / Math.sqrt(squares[f]);
      }
    }
  }
  return { weights, bias };
}

/** Multinomial (softmax) logistic regression: one weight row per class. */
export function trainMultinomial(
  examples: SparseVector[],
  labels: number[],
  classes: number,
  dimensions: number,
  options: TrainOptions = {},
): { weights: Float32Array; bias: Float64Array } {
  const { epochs = 15, learningRate = 0.5, l2 = 1e-5, seed = 1 } = options;
  // Row-major by feature: weights[f * classes + c], so one example touches contiguous memory.
  const weights = new Float32Array(dimensions * classes);
  const squares = new Float32Array(dimensions * classes).fill(1e-8);
  const bias = new Float64Array(classes);
  const biasSquares = new Float64Array(classes).fill(1e-8);
  const scores = new Float64Array(classes);
  const random = seededRandom(seed);
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (const i of shuffled(examples.length, random)) {
      const x = examples[i];
      softmaxScores(x, weights, bias, classes, scores);
      for (let c = 0; c < classes; c++) {
        const g = scores[c] - (labels[i] === c ? 1 : 0);
        if (Math.abs(g) < 1e-6) continue;
        biasSquares[c] += g * g;
        bias[c] -= (learningRate * g) / Math.sqrt(biasSquares[c]);
        for (const f of x) {
          const k = f * classes + c;
          const gf = g + l2 * weights[k];
          squares[k] += gf * gf;
          weights[k] -= (learningRate * gf) / Math.sqrt(squares[k]);
        }
      }
    }
  }
  return { weights, bias };
}

/** Class probabilities for one example, written into `out`. */
export function softmaxScores(x: SparseVector, weights: Float32Array, bias: Float64Array, classes: number, out: Float64Array): Float64Array {
  for (let c = 0; c < classes; c++) out[c] = bias[c];
  for (const f of x) {
    const base = f * classes;
    for (let c = 0; c < classes; c++) out[c] += weights[base + c];
  }
  let max = -Infinity;
  for (let c = 0; c < classes; c++) max = Math.max(max, out[c]);
  let sum = 0;
  for (let c = 0; c < classes; c++) {
    out[c] = Math.exp(out[c] - max);
    sum += out[c];
  }
  for (let c = 0; c < classes; c++) out[c] /= sum;
  return out;
}
