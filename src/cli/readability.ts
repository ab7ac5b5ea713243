/**
 * Prints each entry's readability and word count: `npm run --silent readability`. English: the
 * Flesch-Kincaid grade, at most 10; Spanish: the Szigriszt-Pazos score on the INFLESZ scale, at least 55
 * ("bastante fácil"). Exits 1 when an answer misses its limit, as the test suite would.
 */
import { formatProblems, loadCorpus } from '../knowledge/corpus-loader.js';
import { inflesz, readingGrade, wordCount } from '../knowledge/readability.js';
import { resolveFromRoot } from '../paths.js';

export const MAX_GRADE = 10;
export const MIN_INFLESZ = 55;

async function main(): Promise<number> {
  const result = await loadCorpus(resolveFromRoot(process.argv[2] ?? 'knowledge'));
  if (!result.ok) {
    process.stderr.write(`The corpus is invalid:\n${formatProblems(result.problems)}\n`);
    return 1;
  }
  let failed = 0;
  for (const e of result.corpus.entries) {
    const words = String(wordCount(e.body)).padStart(4);
    if (e.locale === 'es') {
      const score = inflesz(e.body);
      const flag = score < MIN_INFLESZ ? `  <-- below INFLESZ ${MIN_INFLESZ}` : '';
      if (flag) failed++;
      process.stdout.write(`INFLESZ ${score.toFixed(1).padStart(5)}  ${words} words  ${e.file}${flag}\n`);
    } else {
      const grade = readingGrade(e.body);
      const flag = grade > MAX_GRADE ? `  <-- above grade ${MAX_GRADE}` : '';
      if (flag) failed++;
      process.stdout.write(`grade   ${grade.toFixed(1).padStart(5)}  ${words} words  ${e.file}${flag}\n`);
    }
  }
  return failed ? 1 : 0;
}

process.exitCode = await main();
