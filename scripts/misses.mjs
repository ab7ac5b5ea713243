// Dev helper: prints matcher misses with the top candidates and both signals (run `npm run build` first).
//   node scripts/misses.mjs FILE.jsonl [--es]
import { readFileSync } from 'node:fs';
import { loadCorpus } from '../dist/knowledge/corpus-loader.js';
import { PhrasingClassifier, trainClassifier } from '../dist/matching/classifier.js';
import { DEFAULT_MATCH_OPTIONS, Matcher } from '../dist/matching/matcher.js';
const r = await loadCorpus('knowledge');
const m = new Matcher(r.corpus, DEFAULT_MATCH_OPTIONS);
for (const lm of m.locales.values()) lm.useClassifier(new PhrasingClassifier(trainClassifier(lm.trainingSet())));
const locale = process.argv.includes('--es') ? 'es' : 'en';
for (const f of process.argv.slice(2).filter((a) => !a.startsWith('--')))
  for (const l of readFileSync(f, 'utf8').split('\n').filter(Boolean).map((x) => JSON.parse(x))) {
    const res = m.match(l.text, locale);
    const got = res.answer?.entry.id ?? 'fallback';
    if (!l.expect.includes(got))
      console.log(
        `[${l.expect}] got ${got} (${res.reason}): ${l.text}\n     ${m.tokens(l.text, locale).join(' ')}  ->  ${res.ranked
          .slice(0, 3)
          .map((x) => `${x.entry.id} ${x.score.toFixed(2)} (L ${x.lexical.toFixed(2)}, C ${x.classifier?.toFixed(2)})`)
          .join(', ')}`,
      );
  }
