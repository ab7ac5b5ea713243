/**
 * Corpus tools for staff:
 *   npm run --silent corpus -- check [DIR]        validate every file (as corpus:check)
 *   npm run --silent corpus -- hash ID            the `translatedFrom` value for a translation of entry ID
 *   npm run --silent corpus -- due                translations whose English entry changed
 */
import { formatProblems, loadCorpus } from '../knowledge/corpus-loader.js';
import { translationHash, translationsDue } from '../knowledge/translation.js';
import { resolveFromRoot } from '../paths.js';

async function main([command, arg]: string[]): Promise<number> {
  const dir = resolveFromRoot(command === 'check' && arg ? arg : (process.env.KNOWLEDGE_DIR ?? 'knowledge'));
  const result = await loadCorpus(dir);
  if (!result.ok) {
    process.stderr.write(`The corpus in ${dir} is invalid:\n${formatProblems(result.problems)}\n`);
    return 1;
  }
  const { corpus } = result;
  switch (command) {
    case 'check':
      if (corpus.warnings.length) process.stderr.write(`Warnings:\n${formatProblems(corpus.warnings)}\n`);
      process.stdout.write(`OK: ${corpus.entries.length} entries, version ${corpus.version}\n`);
      return 0;
    case 'hash': {
      const entry = corpus.entries.find((e) => e.locale === 'en' && e.id === arg);
      if (!entry) {
        process.stderr.write(`No English entry "${arg}".\n`);
        return 1;
      }
      process.stdout.write(`${translationHash(entry)}\n`);
      return 0;
    }
    case 'due':
      for (const d of translationsDue(corpus.entries)) process.stdout.write(`${d.file}: ${d.reason}\n`);
      return 0;
    default:
      process.stderr.write('usage: npm run --silent corpus -- check [DIR] | hash ID | due\n');
      return 2;
  }
}

process.exitCode = await main(process.argv.slice(2));
