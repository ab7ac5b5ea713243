// Dev helper: node scripts/try-screen.mjs "text" ... (run `npm run build` first)
import { Lexicon, loadLexiconFiles } from '../dist/safety/lexicon.js';
import { SafetyScreen } from '../dist/safety/screen.js';
import { readFileSync } from 'node:fs';
const lex = new Lexicon(loadLexiconFiles('knowledge/safety'));
console.log('selfcheck:', lex.selfCheck());
const screen = new SafetyScreen(lex);
const args = process.argv.slice(2);
if (args[0] === '--file') {
  let bad = 0,
    n = 0;
  for (const line of readFileSync(args[1], 'utf8').split('\n').filter(Boolean)) {
    const o = JSON.parse(line);
    n++;
    const d = screen.screen(o.text);
    const okLevel = o.expectRisk.includes(d.level);
    const okKind = !o.expectKind || o.expectKind === d.kind;
    if (!okLevel || (args[2] === '--kind' && !okKind)) {
      bad++;
      console.log(
        `${okLevel ? 'KIND' : 'MISS'} [${o.expectRisk}${o.expectKind ? '/' + o.expectKind : ''}] got ${d.level}/${d.kind} :: ${o.text} :: ${d.reasons.map((r) => r.rule).join(',')}`,
      );
    }
  }
  console.log(`${n - bad}/${n} ok`);
} else for (const t of args) console.log(t, '=>', JSON.stringify(screen.screen(t)), lex.prepare(t));
