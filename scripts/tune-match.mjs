// Dev helper: sweeps the matcher's threshold and margin over question sets (run `npm run build` first).
import { readFileSync } from 'node:fs';
import { loadCorpus } from '../dist/knowledge/corpus-loader.js';
import { Matcher } from '../dist/matching/matcher.js';
const r = await loadCorpus('knowledge');
const sets = process.argv.slice(2).map((f) => [
  f,
  readFileSync(f, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l)),
]);
for (const threshold of [0.3, 0.35, 0.4, 0.45])
  for (const minMargin of [0, 0.01, 0.02, 0.04]) {
    const m = new Matcher(r.corpus.entries, r.corpus.synonyms, { threshold, minMargin });
    const out = [];
    for (const [f, lines] of sets) {
      let ok = 0,
        inScope = 0,
        inOk = 0,
        oos = 0,
        oosOk = 0;
      for (const l of lines) {
        const answer = m.match(l.text, 'en').answer?.entry.id ?? 'fallback';
        const good = l.expect.includes(answer);
        ok += good;
        if (l.expect.includes('fallback')) {
          oos++;
          oosOk += good;
        } else {
          inScope++;
          inOk += good;
        }
      }
      out.push(
        `${f.split('/').pop().replace('.jsonl', '').replace('questions.', '')}: ${(ok / lines.length).toFixed(3)} (in ${(inOk / inScope).toFixed(2)}, oos ${oosOk}/${oos})`,
      );
    }
    console.log(`t=${threshold} m=${minMargin}  ${out.join('  ')}`);
  }
