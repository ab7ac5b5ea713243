/**
 * Validates the corpus without starting the server: `npm run --silent corpus:check [DIR]`.
 * Prints every problem with file and field and exits 1 when there is any.
 */
import { loadCorpus, formatProblems } from '../knowledge/corpus-loader.js';
import { resolveFromRoot } from '../paths.js';

const dir = resolveFromRoot(process.argv[2] ?? process.env.KNOWLEDGE_DIR ?? 'knowledge');
const result = await loadCorpus(dir);
if (!result.ok) {
  process.stderr.write(`The corpus in ${dir} is invalid:\n${formatProblems(result.problems)}\n`);
  process.exit(1);
}
const { corpus } = result;
if (corpus.warnings.length) process.stderr.write(`Warnings:\n${formatProblems(corpus.warnings)}\n`);
process.stdout.write(`OK: ${corpus.entries.length} entries, version ${corpus.version}\n`);
