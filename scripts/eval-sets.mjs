// Dev helper: every question set through the chat pipeline (as batch-test), one table (run `npm run build` first).
//   node scripts/eval-sets.mjs [--misses SETNAME] [--only SETNAME]
// The held-out sets are sorted by entry, so their halves are taken alternately: "a" (even lines) is for
// tuning, "b" (odd lines) only for an occasional check.
import { readFileSync } from 'node:fs';
import { ChatService } from '../dist/chat/chat.service.js';
import { formatQuality, parseBatch, runBatch } from '../dist/cli/batch.js';
import { pipelineContext } from '../dist/cli/pipeline-context.js';
const half = (k) => (_l, i) => i % 2 === k;
const SETS = [
  ['en dev', 'test/fixtures/questions.dev.jsonl'],
  ['en holdout', 'test/fixtures/questions.holdout.jsonl'],
  ['en blind', 'test/fixtures/blind/questions.blind.jsonl'],
  ['en blind2', 'test/fixtures/blind2/questions.blind2.jsonl'],
  ['es dev', 'test/fixtures/questions.dev.es.jsonl', 'es'],
  ['en held a', 'test/fixtures/heldout/questions.heldout.en.jsonl', null, half(0)],
  ['es held a', 'test/fixtures/heldout/questions.heldout.es.jsonl', 'es', half(0)],
  ['en held b', 'test/fixtures/heldout/questions.heldout.en.jsonl', null, half(1)],
  ['es held b', 'test/fixtures/heldout/questions.heldout.es.jsonl', 'es', half(1)],
];
const args = process.argv.slice(2);
const opt = (k) => (args.includes(k) ? args[args.indexOf(k) + 1] : null);
const misses = opt('--misses');
const only = opt('--only');
const withB = args.includes('--b');
const app = await pipelineContext();
const chat = app.get(ChatService);
for (const [name, file, locale, filter] of SETS) {
  if (only && !name.includes(only)) continue;
  if (name.endsWith(' b') && !withB) continue;
  let lines = parseBatch(readFileSync(file, 'utf8')).map((l) => (locale ? { ...l, locale } : l));
  if (filter) lines = lines.filter(filter);
  const { results, summary } = await runBatch(lines, chat);
  console.log(`${name.padEnd(11)} ${formatQuality(summary.quality)}`);
  if (misses && name.includes(misses))
    results.forEach((r, i) => {
      const got = r.type === 'answer' ? r.entryId : r.type;
      if (!lines[i].expect.includes(got === 'fallback' ? 'fallback' : got))
        console.log(`   [${lines[i].expect}] got ${got} s=${r.score} L=${r.lexical} C=${r.classifier} sug=${r.suggestions[0] ?? ''} ${r.replyLocale}: ${lines[i].text}`);
    });
}
await app.close();
