// Dev helper: node scripts/try-screen.mjs [--dir knowledge/safety] "text" ... | --file set.jsonl (after `npm run build`)
import { readFileSync } from 'node:fs';
import { loadScreen } from '../dist/safety/safety.service.js';
const args = process.argv.slice(2);
const dirAt = args.indexOf('--dir');
const dir = dirAt >= 0 ? args.splice(dirAt, 2)[1] : 'knowledge/safety';
const screen = loadScreen(dir);
if (args[0] === '--file') {
  let n = 0, bad = 0;
  for (const line of readFileSync(args[1], 'utf8').split('\n').filter(Boolean)) {
    const o = JSON.parse(line);
    const turns = o.turns ?? [o.text];
    let risk = { flagged: false, flagKind: null, concernTurns: 0, previousText: null, previousLevel: null };
    let d;
    for (const t of turns) {
      d = screen.screen(t, risk);
      risk = { flagged: risk.flagged || d.level === 'crisis', flagKind: d.kind ?? risk.flagKind, concernTurns: risk.concernTurns + (d.level === 'concern' ? 1 : 0), previousText: t, previousLevel: d.level };
    }
    n++;
    if (!o.expectRisk.includes(d.level)) {
      bad++;
      console.log(`${o.expectRisk.includes('crisis') ? 'MISS' : 'FP  '} [${o.expectRisk}] got ${d.level}/${d.kind} :: ${turns.join(' / ')} :: ${d.reasons.map((r) => `${r.rule}=${r.matched}`).join(', ')}`);
    }
  }
  console.log(`${n - bad}/${n} ok`);
} else for (const t of args) { const d = screen.screen(t); console.log(JSON.stringify(t), '=>', d.level, d.kind, d.reasons.map((r) => `${r.rule}=${r.matched}`).join(', '), d.probability ?? ''); }
