/**
 * Trains the safety screen's second opinion: `npm run train:screen` (writes knowledge/safety/classifier.json).
 *
 * Data: knowledge/safety/training/train.jsonl (messages written for training by people who did not look at
 * the lexicon) and, as hard negatives, hard-negatives.jsonl (ordinary treatment and everyday messages with
 * risky-looking words) and every question and alternate of the corpus. Thresholds are chosen on
 * dev.jsonl for the whole screen (lexicon and classifier together): the crisis threshold is the lowest that
 * keeps false crises on the development split's non-crisis messages at or below 4% (half of them are
 * deliberate traps: idioms, jokes, titles, treatment questions full of risky words; on ordinary chat the
 * rate is lower); for messages that only ask questions, the lowest that keeps false crises on the split's
 * questions at or below 1%; the concern threshold the lowest (at least 0.5) that turns at most 5% of its
 * `none` messages into `concern`. test.jsonl is only reported.
 * Deterministic: the same files always give the same weights (the test suite checks the shipped file).
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadCorpus } from '../knowledge/corpus-loader.js';
import { trainBinary } from '../learning/logistic.js';
import { resolveFromRoot } from '../paths.js';
import { CrisisClassifier, features, type ClassifierFile } from '../safety/classifier.js';
import { Lexicon, loadLexiconFiles, loadNearWords } from '../safety/grammar.js';
import { NO_RISK, SafetyScreen } from '../safety/screen.js';

interface Sample {
  text: string;
  expectRisk: string[];
}

const MAX_FALSE_CRISIS = 0.04;
const MAX_CONCERN_ON_NONE = 0.05;
const MAX_FALSE_CRISIS_ON_QUESTIONS = 0.01;
const MIN_FEATURE_COUNT = 2;

function readJsonl(file: string): Sample[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Sample);
}

const isCrisis = (s: Sample) => s.expectRisk.length === 1 && s.expectRisk[0] === 'crisis';

export async function trainScreen(knowledgeDir: string): Promise<{ file: ClassifierFile; figures: Record<string, Figures>; report: string }> {
  const dir = path.join(knowledgeDir, 'safety');
  const train = readJsonl(path.join(dir, 'training/train.jsonl'));
  const dev = readJsonl(path.join(dir, 'training/dev.jsonl'));
  const test = readJsonl(path.join(dir, 'training/test.jsonl'));
  const corpus = await loadCorpus(knowledgeDir);
  if (!corpus.ok) throw new Error('the corpus is invalid: run npm run corpus:check');
  const phrasings = corpus.corpus.entries.flatMap((e) => [e.question, ...e.alternates]).map((text) => ({ text, expectRisk: ['none'] }));
  // Ordinary treatment and everyday messages with risky-looking words (written by the team for training).
  const hardNegatives = readJsonl(path.join(dir, 'training/hard-negatives.jsonl'));
  const samples = [...train, ...hardNegatives, ...phrasings];
  const lexicon = new Lexicon(loadLexiconFiles(dir), loadNearWords(dir));
  const failures = lexicon.selfCheck();
  if (failures.length) throw new Error(`The safety lexicon fails its own examples:\n  ${failures.join('\n  ')}`);
  const hash = createHash('sha256');
  for (const s of samples) hash.update(`${s.text}\t${isCrisis(s) ? 1 : 0}\n`);
  // The concept features come from the lexicons: new lexicons, new weights.
  for (const f of loadLexiconFiles(dir)) hash.update(JSON.stringify(f));
  const trainedOn = hash.digest('hex').slice(0, 16);

  // Vocabulary: features seen at least twice, in a fixed (sorted) order.
  const counts = new Map<string, number>();
  const sampleFeatures = samples.map((s) => features(s.text, lexicon.read(s.text)));
  for (const fs of sampleFeatures) for (const f of fs) counts.set(f, (counts.get(f) ?? 0) + 1);
  const vocabulary = [...counts.entries()].filter(([, n]) => n >= MIN_FEATURE_COUNT).map(([f]) => f).sort();
  const index = new Map(vocabulary.map((f, i) => [f, i]));
  const examples = sampleFeatures.map((fs) => fs.map((f) => index.get(f)).filter((i): i is number => i !== undefined));
  const labels = samples.map((s) => (isCrisis(s) ? 1 : 0));
  const positives = labels.filter(Boolean).length;
  const { weights, bias } = trainBinary(examples, labels, vocabulary.length, {
    epochs: 15,
    learningRate: 0.1,
    l2: 3e-3,
    seed: 7,
    positiveWeight: 1.5,
  });
  const kept: Record<string, number> = {};
  vocabulary.forEach((f, i) => {
    if (Math.abs(weights[i]) >= 0.01) kept[f] = Math.round(weights[i] * 1e4) / 1e4;
  });
  const model: ClassifierFile = { trainedOn, thresholds: { crisis: 1, concern: 1 }, bias: Math.round(bias * 1e4) / 1e4, weights: kept };

  // Thresholds, for the whole screen, on the development split.
  const classifier = new CrisisClassifier(model);
  const lexiconOnly = new SafetyScreen(lexicon, null);
  const devRows = dev.map((s) => ({ s, level: lexiconOnly.screen(s.text, NO_RISK).level, p: classifier.probability(s.text, lexicon.read(s.text)) }));
  const benign = dev.filter((s) => !isCrisis(s) && !s.expectRisk.includes('crisis'));
  const candidates = Array.from({ length: 99 }, (_, i) => (i + 1) / 100);
  // The whole screen at each candidate (the grammar's explanations included), not the classifier alone.
  const falseCrisis = (t: number) => {
    const screen = new SafetyScreen(lexicon, classifier, { crisis: t, concern: t });
    return benign.filter((s) => screen.screen(s.text, NO_RISK).level === 'crisis').length / benign.length;
  };
  // The rate only falls as the threshold rises: the lowest passing candidate by bisection.
  let lo = 0;
  let hi = candidates.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (falseCrisis(candidates[mid]) <= MAX_FALSE_CRISIS) hi = mid;
    else lo = mid + 1;
  }
  const crisisT = candidates[lo];
  const none = devRows.filter((r) => r.s.expectRisk.includes('none') && !r.s.expectRisk.includes('concern') && r.level === 'none');
  const concernT = Math.min(crisisT, candidates.find((t) => t >= 0.5 && none.filter((r) => r.p >= t).length / Math.max(1, none.length) <= MAX_CONCERN_ON_NONE) ?? 0.99);
  // Messages that only ask questions are how visitors ask about the treatment: there the classifier alone
  // needs the certainty that keeps false crises on the development split's questions at or below 1%.
  const benignQuestions = benign.filter((s) => {
    const clauses = lexicon.read(s.text);
    return clauses.length > 0 && clauses.every((c) => c.question);
  });
  const questionFalseCrisis = (t: number) => {
    const screen = new SafetyScreen(lexicon, classifier, { crisis: crisisT, concern: crisisT, question: t });
    return benignQuestions.filter((s) => screen.screen(s.text, NO_RISK).level === 'crisis').length / Math.max(1, benignQuestions.length);
  };
  const questionT = candidates.find((t) => t >= crisisT && questionFalseCrisis(t) <= MAX_FALSE_CRISIS_ON_QUESTIONS) ?? 0.99;
  model.thresholds = { crisis: crisisT, concern: concernT, question: questionT };

  const measure = (rows: Sample[], screen: SafetyScreen): Figures => {
    const decided = rows.map((s) => ({ s, level: screen.screen(s.text, NO_RISK).level }));
    const crises = decided.filter((d) => isCrisis(d.s));
    const others = decided.filter((d) => !isCrisis(d.s) && !d.s.expectRisk.includes('crisis'));
    const recall = crises.filter((d) => d.level === 'crisis').length / crises.length;
    const falseCrisis = others.filter((d) => d.level === 'crisis').length / others.length;
    return { recall: round(recall), falseCrisis: round(falseCrisis), crises: crises.length, others: others.length };
  };
  const full = new SafetyScreen(lexicon, classifier, model.thresholds);
  const figures: Record<string, Figures> = {
    'dev lexicon only': measure(dev, lexiconOnly),
    'dev with classifier': measure(dev, full),
    'test lexicon only': measure(test, lexiconOnly),
    'test with classifier': measure(test, full),
  };
  const report = [
    `trained on ${samples.length} messages (${positives} crisis), ${vocabulary.length} features, ${Object.keys(kept).length} kept`,
    `thresholds: crisis ${crisisT}, concern ${concernT}, questions ${questionT}`,
    ...Object.entries(figures).map(([name, f]) => `${name.padEnd(22)} recall ${f.recall.toFixed(3)} of ${f.crises}, false crisis ${f.falseCrisis.toFixed(3)} of ${f.others}`),
  ].join('\n');
  return { file: model, figures, report };
}

interface Figures {
  recall: number;
  falseCrisis: number;
  crises: number;
  others: number;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** The file as written: weights sorted by feature, so a retrain shows as a readable diff. */
export function sortedFile(file: ClassifierFile): ClassifierFile {
  return { ...file, weights: Object.fromEntries(Object.entries(file.weights).sort(([a], [b]) => (a < b ? -1 : 1))) };
}

// Run as a command (not when imported by the test that checks the shipped weights).
if (process.argv[1] && path.resolve(process.argv[1]).endsWith(path.join('cli', 'train-screen.js'))) {
  const knowledge = resolveFromRoot(process.env.KNOWLEDGE_DIR ?? 'knowledge');
  const { file, figures, report } = await trainScreen(knowledge);
  if (process.argv.includes('--print')) {
    // For the test that checks the shipped weights: the result as JSON, nothing written.
    process.stdout.write(`${JSON.stringify({ file: sortedFile(file), figures })}\n`);
  } else {
    writeFileSync(path.join(knowledge, 'safety/classifier.json'), `${JSON.stringify(sortedFile(file), null, 1)}\n`);
    process.stdout.write(`${report}\nwrote knowledge/safety/classifier.json\n`);
  }
}
