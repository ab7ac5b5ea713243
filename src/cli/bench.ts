/**
 * Benchmarks (`npm run bench`, `npm run bench -- --quick`): the cost of the hot path per message, the
 * matcher at the current corpus, 1,000 and 10,000 entries, retrieval quality beside a plain BM25
 * baseline, and end to end over loopback against a bare socket.io echo server (throughput, latency,
 * server CPU per message, memory per idle connection, capacity, a bounded soak). Tests assert behaviour;
 * speed and memory targets live here. Uses the evaluation sets in test/fixtures. Writes a Markdown report
 * to test/bench/report.md (test/bench/report-quick.md with --quick).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import MiniSearch from 'minisearch';
import { ChatService } from '../chat/chat.service.js';
import { loadCorpus } from '../knowledge/corpus-loader.js';
import type { Entry, Locale } from '../knowledge/entry.schema.js';
import { PhrasingClassifier, trainClassifier } from '../matching/classifier.js';
import { DEFAULT_MATCH_OPTIONS, Matcher, type MatchOptions } from '../matching/matcher.js';
import { MatchingService } from '../matching/matching.service.js';
import { resolveFromRoot } from '../paths.js';
import { SafetyService } from '../safety/safety.service.js';
import { NO_RISK } from '../safety/screen.js';
import { pipelineContext } from './pipeline-context.js';
import { syntheticCorpus } from './synthetic-corpus.js';
import { endToEnd } from './bench/report.js';
import { percentile } from './bench/end-to-end.js';

const quick = process.argv.includes('--quick');
const benchStarted = performance.now();
/** Everything printed, for the report's micro-benchmark sections. */
const printed: string[] = [];
const out = (line = '') => {
  printed.push(line);
  process.stdout.write(`${line}\n`);
};

interface Question {
  text: string;
  expect: string[];
}
function questions(file: string): Question[] {
  return readFileSync(resolveFromRoot(`test/fixtures/${file}`), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Question);
}
const texts = (file: string) => questions(file).map((q) => q.text);

/** Per-call wall time (µs) and the process's CPU time per call, over `rounds` passes of the inputs. */
function time(label: string, inputs: string[], rounds: number, fn: (text: string) => unknown, fresh = false): { meanCpu: number; p99: number } {
  for (const t of inputs) fn(t); // warm up
  const samples: number[] = [];
  const cpu = process.cpuUsage();
  for (let r = 0; r < rounds; r++) {
    for (const t of inputs) {
      // `fresh`: a different text each round ("... 3"), so no cache answers for the code being measured.
      const text = fresh ? `${t} ${r}` : t;
      const start = process.hrtime.bigint();
      fn(text);
      samples.push(Number(process.hrtime.bigint() - start) / 1000);
    }
  }
  const used = process.cpuUsage(cpu);
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))];
  const meanCpu = (used.user + used.system) / samples.length;
  const wall = samples.reduce((a, b) => a + b, 0) / samples.length;
  const f = (x: number) => x.toFixed(1).padStart(7);
  out(
    `${label.padEnd(44)} n=${String(samples.length).padStart(6)}  cpu ${f(meanCpu)} µs  p50 ${f(at(0.5))} µs  p99 ${f(at(0.99))} µs  ${String(Math.round(1e6 / wall)).padStart(7)} q/s`,
  );
  return { meanCpu, p99: at(0.99) };
}

function ms(since: number): string {
  return `${(performance.now() - since).toFixed(0)} ms`;
}

const mib = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MiB`;

out(`# npm run bench${quick ? ' -- --quick' : ''}`);
out(`${os.cpus()[0]?.model ?? 'cpu'} x${os.cpus().length}; Node ${process.version}; load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);

// ---- The whole pipeline, as the app runs it ----
const heapBefore = process.memoryUsage().heapUsed;
const app = await pipelineContext();
const heapAfter = process.memoryUsage().heapUsed;
const safety = app.get(SafetyService);
const matching = app.get(MatchingService);
const chat = app.get(ChatService);

const english = [
  ...questions('questions.dev.jsonl'),
  ...questions('questions.holdout.jsonl'),
  ...questions('blind/questions.blind.jsonl'),
  ...questions('blind2/questions.blind2.jsonl'),
];
const spanish = questions('questions.dev.es.jsonl');
const messages = [...texts('crisis.dev.jsonl'), ...texts('crisis.extra.jsonl'), ...texts('questions.dev.jsonl')];
const rounds = quick ? 5 : 20;

out('\n## Per message (current corpus)');
// Budgets: the screen at most 40 µs CPU per typical message on average, p99 under 1 ms at 1,000 characters.
const screenCost = time('safety screen, per message', messages, rounds, (t) => safety.screen(t, NO_RISK), true);
const long = Array.from({ length: 50 }, (_, i) => messages.slice(i * 7).join(' ').slice(0, 1000));
const longCost = time('safety screen, 1000-char message', long, Math.max(2, rounds / 2), (t) => safety.screen(t, NO_RISK), true);
out(`screen budget (40 µs CPU per message on average): ${screenCost.meanCpu <= 40 ? 'met' : 'NOT met'} (${screenCost.meanCpu.toFixed(1)} µs)`);
out(`screen budget (p99 under 1 ms at 1,000 characters): ${longCost.p99 < 1000 ? 'met' : 'NOT met'} (${longCost.p99.toFixed(0)} µs)`);
const budget = time('matcher incl. classifier, English questions', english.map((q) => q.text), rounds, (t) => matching.match(t, 'en'));
time('matcher incl. classifier, Spanish questions', spanish.map((q) => q.text), rounds, (t) => matching.match(t, 'es'));
time('language detection', [...english, ...spanish].map((q) => q.text), rounds, (t) => matching.detect(t, 'en'));
out(`matching budget (60 µs CPU per question on average): ${budget.meanCpu <= 60 ? 'met' : 'NOT met'} (${budget.meanCpu.toFixed(1)} µs)`);

// Screen, match and render, as a message of a new conversation goes through them (no transport).
const pipelineSamples: number[] = [];
const start = process.hrtime.bigint();
const cpu = process.cpuUsage();
for (let r = 0; r < (quick ? 1 : 3); r++) {
  for (const text of messages) {
    const began = process.hrtime.bigint();
    await chat.respond({ text });
    pipelineSamples.push(Number(process.hrtime.bigint() - began) / 1000);
  }
}
const used = process.cpuUsage(cpu);
const perMessage = Number(process.hrtime.bigint() - start) / 1000 / pipelineSamples.length;
pipelineSamples.sort((a, b) => a - b);
out(
  `${'whole pipeline (respond), per msg'.padEnd(44)} n=${String(pipelineSamples.length).padStart(6)}  cpu ${((used.user + used.system) / pipelineSamples.length).toFixed(1).padStart(7)} µs  p50 ${percentile(pipelineSamples, 0.5).toFixed(1).padStart(7)} µs  p99 ${percentile(pipelineSamples, 0.99).toFixed(1).padStart(7)} µs  ${String(Math.round(1e6 / perMessage)).padStart(7)} q/s`,
);
out(`heap used by the app after start-up: ${mib(heapAfter - heapBefore)}; RSS ${mib(process.memoryUsage().rss)}`);
await app.close();

// ---- The matcher at scale ----
const loaded = await loadCorpus(resolveFromRoot('knowledge'));
if (!loaded.ok) throw new Error('the corpus does not load');
const corpus = loaded.corpus;
const realEnglish = corpus.entries.filter((e) => e.locale === 'en');

function buildMatcher(entries: Entry[], options: Partial<MatchOptions>, classifier: boolean): { matcher: Matcher; build: string; train: string } {
  const started = performance.now();
  const matcher = new Matcher({ entries, synonyms: corpus.synonyms }, { ...DEFAULT_MATCH_OPTIONS, ...options });
  const build = ms(started);
  const trainStart = performance.now();
  if (classifier) for (const lm of matcher.locales.values()) lm.useClassifier(new PhrasingClassifier(trainClassifier(lm.trainingSet())));
  return { matcher, build, train: classifier ? ms(trainStart) : '-' };
}

out(`\n(${((performance.now() - benchStarted) / 1000).toFixed(0)} s)`);
out('\n## Matcher by corpus size (English; synthetic entries beyond the real ones)');
const sizes = quick ? [realEnglish.length, 1000] : [realEnglish.length, 1000, 10_000];
const englishTexts = english.map((q) => q.text);
for (const size of sizes) {
  const entries = syntheticCorpus(realEnglish, size);
  const heap = process.memoryUsage().heapUsed;
  const { matcher, build, train } = buildMatcher(entries, { candidateIndexFrom: Infinity }, true);
  const lm = matcher.locales.get('en')!;
  const weights = lm.learned?.model.weights.byteLength ?? 0;
  out(
    `${size} entries: index built in ${build}, classifier trained in ${train} (${mib(weights)} of weights), heap +${mib(process.memoryUsage().heapUsed - heap)}`,
  );
  const inverted = time(`  ${size}: inverted lists, all sharing entries`, englishTexts, quick ? 2 : 5, (t) => matcher.match(t, 'en'));
  if (size >= 1000 && !quick) {
    const started = performance.now();
    const flex = new Matcher({ entries, synonyms: corpus.synonyms }, { ...DEFAULT_MATCH_OPTIONS, candidateIndexFrom: 0 });
    const flexBuild = ms(started);
    flex.locales.get('en')!.useClassifier(lm.learned);
    out(`  ${size}: flexsearch candidate index built in ${flexBuild}`);
    time(`  ${size}: flexsearch candidates (100), then scored`, englishTexts, quick ? 2 : 5, (t) => flex.match(t, 'en'));
    let same = 0;
    for (const t of englishTexts) if (flex.match(t, 'en').ranked[0]?.entry.id === matcher.match(t, 'en').ranked[0]?.entry.id) same++;
    out(`  ${size}: same best entry both ways for ${same}/${englishTexts.length} questions`);
  }
  if (size === 1000) out(`  p99 at 1,000 entries under 1 ms: ${inverted.p99 < 1000 ? 'met' : 'NOT met'} (${inverted.p99.toFixed(0)} µs)`);
}

// ---- Retrieval quality beside a plain BM25 baseline ----
out(`\n(${((performance.now() - benchStarted) / 1000).toFixed(0)} s)`);
out('\n## Retrieval quality: top-1 accuracy and mean reciprocal rank over in-scope questions');
const { matcher: full } = buildMatcher(corpus.entries, {}, true);
const { matcher: lexicalOnly } = buildMatcher(corpus.entries, { classifierWeight: 0 }, false);

function bm25(locale: Locale): (text: string) => string[] {
  const search = new MiniSearch<Entry>({ fields: ['question', 'alternates', 'tags', 'body'], idField: 'id' });
  search.addAll(corpus.entries.filter((e) => e.locale === locale).map((e) => ({ ...e, alternates: e.alternates.join('\n') }) as unknown as Entry));
  return (text) => search.search(text).map((r) => String(r.id));
}

function figures(label: string, set: Question[], rank: (text: string) => string[]): void {
  const inScope = set.filter((q) => !q.expect.includes('fallback'));
  let top1 = 0;
  let rr = 0;
  for (const q of inScope) {
    const ranked = rank(q.text);
    const at = ranked.findIndex((id) => q.expect.includes(id));
    if (at === 0) top1++;
    if (at >= 0) rr += 1 / (at + 1);
  }
  out(`${label.padEnd(44)} top-1 ${(top1 / inScope.length).toFixed(3)}  MRR ${(rr / inScope.length).toFixed(3)}  (n=${inScope.length})`);
}
for (const [name, set, locale] of [
  ['English dev set (questions.dev.jsonl)', questions('questions.dev.jsonl'), 'en'],
  ['English (dev, holdout, blind sets)', english, 'en'],
  ['Spanish (dev set)', spanish, 'es'],
] as Array<[string, Question[], Locale]>) {
  const baseline = bm25(locale);
  figures(`${name}: fused matcher`, set, (t) => full.match(t, locale).ranked.map((r) => r.entry.id));
  figures(`${name}: lexical score alone`, set, (t) => lexicalOnly.match(t, locale).ranked.map((r) => r.entry.id));
  figures(`${name}: BM25 (minisearch defaults)`, set, baseline);
}

// ---- End to end, over loopback, against a bare socket.io echo server ----
out(`\n(${((performance.now() - benchStarted) / 1000).toFixed(0)} s)`);
const micro = [...printed];
const e2e = await endToEnd({ quick, texts: englishTexts, out });
const file = resolveFromRoot(`test/bench/${quick ? 'report-quick' : 'report'}.md`);
mkdirSync(resolveFromRoot('test/bench'), { recursive: true });
writeFileSync(
  file,
  [
    `# Benchmark report${quick ? ' (--quick)' : ''}`,
    '',
    `Written by \`npm run bench${quick ? ' -- --quick' : ''}\` on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC in ${((performance.now() - benchStarted) / 1000).toFixed(0)} s.`,
    '',
    `Machine: ${machine()}.`,
    '',
    e2e,
    '## Micro-benchmarks (one process, no transport)',
    '',
    '```text',
    ...micro,
    '```',
    '',
  ].join('\n'),
);
out(`\nReport written to ${file}`);

function machine(): string {
  const cpus = os.cpus();
  return `${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}`;
}
