import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { HashedSoftmaxModel } from '../learning/hashed-softmax.js';
import { resolveFromRoot } from '../paths.js';
import type { ClassifierCache } from './classifier-cache.js';
import {
  DEFAULT_TRAINING,
  PhrasingClassifier,
  trainingKey,
  type ClassifierTrainingOptions,
  type ClassifierTrainingSet,
} from './classifier.js';

/**
 * The worker's compiled file. Next to this one when running from dist/; when the code runs from src/
 * (the tests), from dist/, which the test set-up builds first.
 */
function workerFile(): URL {
  const sibling = new URL('./classifier.worker.js', import.meta.url);
  return existsSync(fileURLToPath(sibling)) ? sibling : new URL(`file://${resolveFromRoot('dist/matching/classifier.worker.js')}`);
}

/** Trains in a worker thread; resolves with the weights or rejects with the worker's error. */
export function trainInWorker(set: ClassifierTrainingSet, options: ClassifierTrainingOptions): Promise<HashedSoftmaxModel> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerFile(), { workerData: { set, options } });
    let settled = false;
    worker.once('message', (model: HashedSoftmaxModel) => {
      settled = true;
      resolve(model);
      void worker.terminate();
    });
    worker.once('error', (err) => {
      settled = true;
      reject(err);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`the training worker stopped (exit code ${code}) without a result`));
    });
  });
}

/**
 * Gets a trained classifier for a training set: from the cache when the same set (same phrasings,
 * synonyms, options and code version) was trained before, else trained in a worker and cached.
 */
export class ClassifierTrainer {
  constructor(
    private readonly cache: ClassifierCache,
    private readonly options: ClassifierTrainingOptions = DEFAULT_TRAINING,
    private readonly train: typeof trainInWorker = trainInWorker,
  ) {}

  async obtain(set: ClassifierTrainingSet): Promise<PhrasingClassifier> {
    const key = trainingKey(set, this.options);
    const cached = await this.cache.get(key).catch(() => null);
    if (cached && cached.classes === set.classes.length) return new PhrasingClassifier(cached, null);
    const started = performance.now();
    const model = await this.train(set, this.options);
    const classifier = new PhrasingClassifier(model, performance.now() - started);
    await this.cache.set(key, model).catch(() => undefined);
    return classifier;
  }
}
