import { seededRandom, sigmoid, softmaxScores, trainBinary, trainMultinomial } from './logistic.js';

// Feature 0 marks the positives, feature 1 the negatives, feature 2 is noise present in both.
const examples = [[0, 2], [0], [1, 2], [1], [0, 2], [1, 2]];
const labels = [1, 1, 0, 0, 1, 0];

describe('logistic regression', () => {
  it('learns a separable binary problem', () => {
    const { weights, bias } = trainBinary(examples, labels, 3, { epochs: 30 });
    const p = (x: number[]) => sigmoid(bias + x.reduce((z, f) => z + weights[f], 0));
    expect(p([0])).toBeGreaterThan(0.8);
    expect(p([1])).toBeLessThan(0.2);
    expect(Math.abs(weights[2])).toBeLessThan(Math.abs(weights[0]));
  });

  it('gives the same weights for the same data and seed, different ones for another seed', () => {
    const a = trainBinary(examples, labels, 3, { seed: 7 });
    const b = trainBinary(examples, labels, 3, { seed: 7 });
    const c = trainBinary(examples, labels, 3, { seed: 8, epochs: 1 });
    expect(Array.from(a.weights)).toEqual(Array.from(b.weights));
    expect(a.bias).toBe(b.bias);
    expect(Array.from(c.weights)).not.toEqual(Array.from(a.weights));
  });

  it('learns three classes and returns probabilities that sum to one', () => {
    const x = [[0], [0, 3], [1], [1, 3], [2], [2, 3]];
    const y = [0, 0, 1, 1, 2, 2];
    const { weights, bias } = trainMultinomial(x, y, 3, 4, { epochs: 40 });
    const out = new Float64Array(3);
    for (let c = 0; c < 3; c++) {
      softmaxScores([c], weights, bias, 3, out);
      expect(out.indexOf(Math.max(...out))).toBe(c);
      expect(out.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 10);
    }
  });

  it('draws a reproducible sequence in [0, 1)', () => {
    const r1 = seededRandom(42);
    const r2 = seededRandom(42);
    const draws = Array.from({ length: 100 }, () => r1());
    expect(draws).toEqual(Array.from({ length: 100 }, () => r2()));
    for (const d of draws) expect(d >= 0 && d < 1).toBe(true);
  });
});
