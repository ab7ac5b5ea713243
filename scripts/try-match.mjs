// Dev helper: node scripts/try-match.mjs [--es] "question" ... (run `npm run build` first)
// Prints the detected language, the tokens, the gate's reason and the best candidates with both signals:
// fused score = classifier weight x classifier (scaled by the share of known words) + the rest x lexical.
import { loadCorpus } from '../dist/knowledge/corpus-loader.js';
import { PhrasingClassifier, trainClassifier } from '../dist/matching/classifier.js';
import { DEFAULT_MATCH_OPTIONS, Matcher } from '../dist/matching/matcher.js';
const r = await loadCorpus('knowledge');
const m = new Matcher(r.corpus, DEFAULT_MATCH_OPTIONS);
for (const lm of m.locales.values()) lm.useClassifier(new PhrasingClassifier(trainClassifier(lm.trainingSet())));
const args = process.argv.slice(2);
const hint = args.includes('--es') ? 'es' : 'en';
for (const q of args.filter((a) => !a.startsWith('--'))) {
  const { locale, evidence } = m.detect(q, hint);
  const res = m.match(q, locale);
  console.log(`${q}\n  language ${locale} (en ${evidence.en}, es ${evidence.es}); tokens ${m.tokens(q, locale).join(' ')}; ${res.reason}${res.alsoAsked ? `; also asked: ${res.alsoAsked.entry.id}` : ''}`);
  for (const x of res.ranked.slice(0, 4))
    console.log(`    ${x.score.toFixed(3)}  lexical ${x.lexical.toFixed(3)}  classifier ${x.classifier?.toFixed(3) ?? '-'}  ${x.entry.id}`);
}
