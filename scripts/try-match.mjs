// Dev helper: node scripts/try-match.mjs "question" ... (run `npm run build` first)
import { loadCorpus } from '../dist/knowledge/corpus-loader.js';
import { Matcher } from '../dist/matching/matcher.js';
const r = await loadCorpus('knowledge');
const m = new Matcher(r.corpus.entries, r.corpus.synonyms, { threshold: 0.42, minMargin: 0.04 });
for (const q of process.argv.slice(2)) {
  const res = m.match(q, 'en');
  console.log(q, m.tokens(q), res.reason);
  for (const x of res.ranked.slice(0, 4)) console.log('   ', x.score.toFixed(3), x.entry.id);
}
