// Dev helper: prints matcher misses with the top candidates (run `npm run build` first).
import { readFileSync } from 'node:fs';
import { loadCorpus } from '../dist/knowledge/corpus-loader.js';
import { Matcher } from '../dist/matching/matcher.js';
const r = await loadCorpus('knowledge');
const m = new Matcher(r.corpus.entries, r.corpus.synonyms, { threshold: 0, minMargin: 0 });
const t = Number(process.env.T ?? 0.3);
for (const f of process.argv.slice(2))
  for (const l of readFileSync(f, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((x) => JSON.parse(x))) {
    const ranked = m.match(l.text, 'en').ranked;
    const top = ranked[0] && ranked[0].score >= t ? ranked[0].entry.id : 'fallback';
    if (!l.expect.includes(top))
      console.log(
        `[${l.expect}] ${l.text}\n     ${m.tokens(l.text).join(' ')}  ->  ${ranked
          .slice(0, 3)
          .map((x) => `${x.entry.id} ${x.score.toFixed(2)}`)
          .join(', ')}`,
      );
  }
