/**
 * Prints each entry's reading grade (Flesch-Kincaid) and word count: `npm run --silent readability`.
 * Exits 1 when an answer is above grade 10, the limit the test suite enforces.
 */
import { loadCorpus, formatProblems } from '../knowledge/corpus-loader.js';
import { readingGrade, wordCount } from '../knowledge/readability.js';
import { resolveFromRoot } from '../paths.js';

export const MAX_GRADE = 10;

const result = await loadCorpus(resolveFromRoot(process.argv[2] ?? 'knowledge'));
if (!result.ok) {
  process.stderr.write(`The corpus is invalid:\n${formatProblems(result.problems)}\n`);
  process.exit(1);
}
let failed = 0;
for (const e of result.corpus.entries) {
  const grade = readingGrade(e.body);
  const flag = grade > MAX_GRADE ? '  <-- above grade 10' : '';
  if (flag) failed++;
  process.stdout.write(`${grade.toFixed(1).padStart(5)}  ${String(wordCount(e.body)).padStart(4)} words  ${e.file}${flag}\n`);
}
process.exit(failed ? 1 : 0);
