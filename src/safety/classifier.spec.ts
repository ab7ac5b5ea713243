import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolveFromRoot } from '../paths.js';
import { CrisisClassifier, features, type ClassifierFile } from './classifier.js';
import { Lexicon, loadLexiconFiles, loadNearWords } from './grammar.js';
import { SafetyScreen } from './screen.js';
import { sigmoid } from '../learning/logistic.js';

const dir = resolveFromRoot('knowledge/safety');
const lexicon = new Lexicon(loadLexiconFiles(dir), loadNearWords(dir));

/** A tiny classifier that knows one word, so each rule of how the screen uses it can be seen alone. */
function screenWith(weights: Record<string, number>): SafetyScreen {
  const file: ClassifierFile = { trainedOn: 'test', thresholds: { crisis: 0.9, concern: 0.6 }, bias: -4, weights };
  const classifier = new CrisisClassifier(file);
  return new SafetyScreen(lexicon, classifier, classifier.thresholds);
}

describe('how the screen uses its learned second opinion', () => {
  it('raises a message the grammar found nothing in to crisis above the crisis threshold, giving its probability', () => {
    const decision = screenWith({ 'w:lilac': 8 }).screen('the lilac plan is ready');
    expect(decision).toMatchObject({ level: 'crisis', kind: 'disclosure' });
    expect(decision.probability).toBeGreaterThan(0.9);
    expect(decision.reasons[0]).toEqual({ rule: 'classifier', matched: expect.stringMatching(/^p=0\.9\d\d$/) });
  });

  it('raises none to concern between the two thresholds', () => {
    const decision = screenWith({ 'w:lilac': 4.5 }).screen('the lilac plan is ready');
    expect(decision.level).toBe('concern');
    expect(decision.reasons).toEqual([{ rule: 'classifier', matched: expect.stringMatching(/^p=0\.6\d\d$/) }]);
  });

  it('never lowers what the grammar decided', () => {
    const decision = screenWith({ 'w:kill': -50, 'w:myself': -50 }).screen('I want to kill myself');
    expect(decision.level).toBe('crisis');
  });

  it('never overrules the grammar where it explained every risky word (an idiom, a denial)', () => {
    const screen = screenWith({ 'w:shaving': 20, 'w:never': 20 });
    expect(screen.screen('I cut myself shaving').level).toBe('none');
    expect(screen.screen('I would never hurt myself').level).toBe('none');
  });

  it('reads features from words, word pairs, letter sequences and the lexicon\'s concepts', () => {
    const f = features('I wanna disappear for good', lexicon.read('I wanna disappear for good'));
    expect(f).toEqual(expect.arrayContaining(['w:wanna', 'b:disappear for', 'c:<dis', 'k:DESIRE', 'k:DIE', 'kk:DESIRE>DIE']));
  });
});

describe('the shipped classifier (knowledge/safety/classifier.json)', () => {
  const shipped = JSON.parse(readFileSync(resolveFromRoot('knowledge/safety/classifier.json'), 'utf8')) as ClassifierFile;
  // Training takes seconds in plain Node and minutes inside Jest's sandbox: run the real command on the
  // built code (the global set-up builds dist/), printing instead of writing.
  const run = JSON.parse(
    execFileSync(process.execPath, [resolveFromRoot('dist/cli/train-screen.js'), '--print'], { cwd: resolveFromRoot('.'), encoding: 'utf8', maxBuffer: 64 << 20 }),
  ) as { file: ClassifierFile; figures: Record<string, { recall: number; falseCrisis: number; crises: number; others: number }> };

  it('is exactly what `npm run train:screen` makes from the training files and lexicons (deterministic)', () => {
    expect(run.file.trainedOn).toBe(shipped.trainedOn);
    expect(run.file.thresholds).toEqual(shipped.thresholds);
    expect(run.file.bias).toBe(shipped.bias);
    expect(run.file.weights).toEqual(shipped.weights);
  });

  it('gives, on its fast path, exactly the probability of its features summed in order', () => {
    const classifier = new CrisisClassifier(shipped);
    const texts = ['crisis.dev.jsonl', 'questions.dev.jsonl', 'questions.dev.es.jsonl']
      .flatMap((f) => readFileSync(resolveFromRoot(`test/fixtures/${f}`), 'utf8').split('\n').filter(Boolean))
      .map((line) => (JSON.parse(line) as { text: string }).text);
    texts.push('the the the same word, the same word again?', 'constructor __proto__ toString', '');
    let checked = 0;
    for (const text of [...texts, ...texts]) {
      const clauses = lexicon.read(text);
      let z = shipped.bias;
      for (const f of features(text, clauses)) z += shipped.weights[f] ?? 0;
      expect(classifier.probability(text, clauses)).toBe(sigmoid(z));
      checked++;
    }
    expect(checked).toBeGreaterThan(500);
  });

  it('has thresholds chosen on the development split, the crisis one above the concern one', () => {
    expect(shipped.thresholds.crisis).toBeGreaterThanOrEqual(shipped.thresholds.concern);
    expect(shipped.thresholds.concern).toBeGreaterThanOrEqual(0.5);
  });

  it('lifts the whole screen on the test split, which neither the lexicon nor the training saw', () => {
    const { lexiconOnly, withClassifier } = { lexiconOnly: run.figures['test lexicon only'], withClassifier: run.figures['test with classifier'] };
    process.stdout.write(`test split: lexicon only ${JSON.stringify(lexiconOnly)}; with classifier ${JSON.stringify(withClassifier)}\n`);
    expect(withClassifier.recall).toBeGreaterThan(lexiconOnly.recall + 0.1);
    expect(withClassifier.recall).toBeGreaterThanOrEqual(0.75);
    // The crisis threshold allows 4% on the development split's non-crisis messages (README explains why).
    expect(withClassifier.falseCrisis).toBeLessThanOrEqual(0.05);
  });
});
