import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { HashedSoftmaxModel } from '../learning/hashed-softmax.js';
import { DirectoryClassifierCache, MemoryClassifierCache } from './classifier-cache.js';
import { ClassifierTrainer, trainInWorker } from './classifier-trainer.js';
import {
  DEFAULT_TRAINING,
  deserializeModel,
  PhrasingClassifier,
  serializeModel,
  trainClassifier,
  trainingKey,
  type ClassifierTrainingSet,
} from './classifier.js';
import { Analyzer } from './analyzer.js';
import { featureHashes } from './features.js';
import { LANGUAGES } from './languages.js';

const empty = { groups: [], misspellings: {}, domainTerms: [] };
const topics: Record<string, string[]> = {
  cost: ['how much does it cost', 'what is the price', 'is it expensive', 'what will I pay out of pocket'],
  driving: ['can I drive after a session', 'do I need a ride home', 'when can I drive again', 'is driving safe afterwards'],
  nausea: ['will I feel sick', 'does it cause nausea', 'can I throw up during it', 'is vomiting common'],
};
const set: ClassifierTrainingSet = {
  locale: 'en',
  synonyms: empty,
  classes: Object.keys(topics),
  phrasings: Object.values(topics).flatMap((texts, label) => texts.map((text) => ({ text, label }))),
};
const digest = (m: HashedSoftmaxModel) =>
  createHash('sha256').update(Buffer.from(m.weights.buffer, m.weights.byteOffset, m.weights.byteLength)).update(Buffer.from(m.bias.buffer, m.bias.byteOffset, m.bias.byteLength)).digest('hex');

function predict(classifier: PhrasingClassifier, text: string): string {
  const analyzer = new Analyzer(LANGUAGES.en, empty);
  const p = classifier.probabilities(featureHashes(analyzer.analyseQuery(text)), null);
  return set.classes[p.indexOf(Math.max(...p))];
}

describe('the learned classifier', () => {
  const model = trainClassifier(set);
  const classifier = new PhrasingClassifier(model);

  it('learns which entry a new phrasing belongs to, from word pieces as well as words', () => {
    expect(predict(classifier, 'what is the cost of it')).toBe('cost');
    expect(predict(classifier, 'am I allowed to drive home')).toBe('driving');
    expect(predict(classifier, 'nauseous and vomitting?')).toBe('nausea');
    const p = classifier.probabilities(featureHashes({ tokens: ['price'] }), null);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
  });

  it('is deterministic: the same training set gives the same weights, bit for bit', () => {
    expect(digest(trainClassifier(set))).toBe(digest(model));
    expect(digest(trainClassifier({ ...set, phrasings: [...set.phrasings].reverse() }))).not.toBe(digest(model));
  });

  it('is keyed by everything it was trained on', () => {
    expect(trainingKey(set, DEFAULT_TRAINING)).toBe(trainingKey(structuredClone(set), DEFAULT_TRAINING));
    expect(trainingKey({ ...set, phrasings: set.phrasings.slice(1) }, DEFAULT_TRAINING)).not.toBe(trainingKey(set, DEFAULT_TRAINING));
    expect(trainingKey(set, { ...DEFAULT_TRAINING, epochs: 3 })).not.toBe(trainingKey(set, DEFAULT_TRAINING));
  });

  it('round-trips through bytes and refuses a damaged file', () => {
    const bytes = serializeModel(model);
    expect(digest(deserializeModel(bytes)!)).toBe(digest(model));
    expect(deserializeModel(bytes.subarray(0, bytes.length - 4))).toBeNull();
    expect(deserializeModel(Buffer.from('not a model'))).toBeNull();
  });

  it('trains in a worker thread to the same weights as in this thread', async () => {
    expect(digest(await trainInWorker(set, DEFAULT_TRAINING))).toBe(digest(model));
  });
});

describe('ClassifierTrainer', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'classifier-cache-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('trains once, then reloads the weights from the cache folder (as after a restart)', async () => {
    let trained = 0;
    const train = async (s: ClassifierTrainingSet) => {
      trained++;
      return trainClassifier(s);
    };
    const first = await new ClassifierTrainer(new DirectoryClassifierCache(dir), DEFAULT_TRAINING, train).obtain(set);
    expect(first.trainedInMs).not.toBeNull();
    expect(await readdir(dir)).toEqual([`classifier-${trainingKey(set, DEFAULT_TRAINING)}.bin`]);
    const again = await new ClassifierTrainer(new DirectoryClassifierCache(dir), DEFAULT_TRAINING, train).obtain(set);
    expect(trained).toBe(1);
    expect(again.trainedInMs).toBeNull();
    expect(digest(again.model)).toBe(digest(first.model));
    // A changed corpus trains again.
    await new ClassifierTrainer(new DirectoryClassifierCache(dir), DEFAULT_TRAINING, train).obtain({ ...set, phrasings: set.phrasings.slice(1) });
    expect(trained).toBe(2);
  });

  it('keeps weights in memory when there is no data folder', async () => {
    let trained = 0;
    const train = async (s: ClassifierTrainingSet) => {
      trained++;
      return trainClassifier(s);
    };
    const unique = { ...set, phrasings: [...set.phrasings, { text: `memory ${Date.now()}`, label: 0 }] };
    await new ClassifierTrainer(new MemoryClassifierCache(), DEFAULT_TRAINING, train).obtain(unique);
    await new ClassifierTrainer(new MemoryClassifierCache(), DEFAULT_TRAINING, train).obtain(unique);
    expect(trained).toBe(1);
  });
});
