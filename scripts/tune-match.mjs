// Dev helper: sweeps the classifier weight, threshold and margin over question sets (run `npm run build`
// first). Use development sets only, never a held-out one.
//   node scripts/tune-match.mjs test/fixtures/questions.dev.jsonl ... [--es test/fixtures/questions.dev.es.jsonl]
import { readFileSync } from 'node:fs';
import { loadCorpus } from '../dist/knowledge/corpus-loader.js';
import { PhrasingClassifier, trainClassifier } from '../dist/matching/classifier.js';
import { DEFAULT_MATCH_OPTIONS, Matcher } from '../dist/matching/matcher.js';
const r = await loadCorpus('knowledge');
const args = process.argv.slice(2);
const sets = args
  .filter((a) => a !== '--es')
  .map((f) => [f, args[args.indexOf(f) - 1] === '--es' ? 'es' : 'en', readFileSync(f, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l))]);
const base = new Matcher(r.corpus, DEFAULT_MATCH_OPTIONS);
const classifiers = new Map([...base.locales].map(([locale, lm]) => [locale, new PhrasingClassifier(trainClassifier(lm.trainingSet()))]));
// The weight here applies to every locale (the shipped defaults give Spanish its own, see DEFAULT_MATCH_OPTIONS).
for (const classifierWeight of [0, 0.3, 0.45, 0.6])
  for (const threshold of [0.35, 0.4, 0.45, 0.5])
    for (const [minMargin, disagreementPenalty] of [[0.02, 0], [0.02, 0.1], [0.02, 0.15], [0.04, 0.15]]) {
      const options = { ...DEFAULT_MATCH_OPTIONS, classifierWeight, classifierWeightByLocale: {}, threshold, minMargin, disagreementPenalty };
      const m = new Matcher(r.corpus, options);
      for (const [locale, lm] of m.locales) lm.useClassifier(classifierWeight > 0 ? classifiers.get(locale) : null);
      const out = [];
      for (const [f, locale, lines] of sets) {
        let n = 0, right = 0, wrong = 0, off = 0, declined = 0;
        for (const l of lines) {
          const got = m.match(l.text, locale).answer?.entry.id ?? 'fallback';
          if (l.expect.includes('fallback')) (off++, (declined += got === 'fallback'));
          else (n++, l.expect.includes(got) ? right++ : got !== 'fallback' && wrong++);
        }
        out.push(`${f.split('/').pop().replace('.jsonl', '')}: right ${(right / n).toFixed(3)} wrong ${(wrong / n).toFixed(3)} off ${declined}/${off}`);
      }
      console.log(`w=${classifierWeight} t=${threshold} m=${minMargin} d=${disagreementPenalty}  ${out.join('  ')}`);
    }
