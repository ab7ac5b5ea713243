/**
 * Worker thread entry: trains one classifier and posts its weights back (transferred, not copied).
 * Training takes seconds of CPU; here it never blocks the event loop that answers visitors.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { trainClassifier, type ClassifierTrainingOptions, type ClassifierTrainingSet } from './classifier.js';

const { set, options } = workerData as { set: ClassifierTrainingSet; options: ClassifierTrainingOptions };
const model = trainClassifier(set, options);
parentPort!.postMessage(model, [model.weights.buffer, model.bias.buffer] as ArrayBuffer[]);
