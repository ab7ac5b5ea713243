/**
 * Corpus tools for staff:
 *   npm run --silent corpus -- check [DIR]        validate every file (as corpus:check)
 *   npm run --silent corpus -- hash ID            the `translatedFrom` value for a translation of entry ID
 *   npm run --silent corpus -- due                translations whose English entry changed
 *   npm run --silent corpus -- import [DIR] --data-dir STORE
 *                                                 record DIR (default KNOWLEDGE_DIR) in the store as the
 *                                                 reviewed baseline (same rule as at start-up)
 *   npm run --silent corpus -- export DIR --data-dir STORE [--drafts]
 *                                                 write the store's live entries (or, with --drafts, the
 *                                                 latest revision of each) as Markdown files into DIR
 *
 * import and export work on a store, and only on the one named: `--data-dir STORE`, or DATA_DIR set in
 * the environment. Without either they refuse, so that nothing ever writes to the server's store by
 * accident (the other command-line tools never touch it at all).
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { formatProblems, isEntryFileName, loadCorpus } from '../knowledge/corpus-loader.js';
import { translationHash, translationsDue } from '../knowledge/translation.js';
import { resolveFromRoot } from '../paths.js';

const USAGE =
  'usage: npm run --silent corpus -- check [DIR] | hash ID | due | import [DIR] --data-dir STORE | export DIR --data-dir STORE [--drafts]\n';

function write(stream: NodeJS.WriteStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => stream.write(text, (err) => (err ? reject(err) : resolve())));
}

/** The store the command may use: `--data-dir`, else DATA_DIR from the environment, else none. */
function chosenStore(args: string[], env: NodeJS.ProcessEnv = process.env): string | null {
  const i = args.indexOf('--data-dir');
  if (i >= 0) return args[i + 1] && !args[i + 1].startsWith('--') ? args[i + 1] : null;
  return env.DATA_DIR ? env.DATA_DIR : null;
}

/** Positional arguments (everything that is not an option or an option's value). */
function positional(args: string[]): string[] {
  return args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--data-dir');
}

async function withStore<T>(
  dataDir: string,
  work: (app: import('@nestjs/common').INestApplicationContext) => Promise<T>,
): Promise<T> {
  process.env.DATA_DIR = dataDir;
  // Imported only now: the configuration module reads the environment when it loads.
  const { NestFactory } = await import('@nestjs/core');
  const { Module } = await import('@nestjs/common');
  const { AppConfigModule } = await import('../config/config.module.js');
  const { StorageModule } = await import('../storage/storage.module.js');
  const { CorpusStore } = await import('../editorial/corpus-store.js');
  const { BaselineImport } = await import('../editorial/baseline-import.js');
  class CorpusCliModule {}
  Module({ imports: [AppConfigModule, StorageModule], providers: [CorpusStore, BaselineImport] })(CorpusCliModule);
  const app = await NestFactory.createApplicationContext(CorpusCliModule, { logger: ['error'] });
  try {
    return await work(app);
  } finally {
    await app.close();
  }
}

async function importCommand(args: string[], dataDir: string): Promise<number> {
  const dir = resolveFromRoot(positional(args)[1] ?? process.env.KNOWLEDGE_DIR ?? 'knowledge');
  const result = await loadCorpus(dir);
  if (!result.ok) {
    await write(process.stderr, `The corpus in ${dir} is invalid, nothing imported:\n${formatProblems(result.problems)}\n`);
    return 1;
  }
  const { BaselineImport, summarizeImport } = await import('../editorial/baseline-import.js');
  const report = await withStore(dataDir, (app) => app.get(BaselineImport).run(result.corpus));
  await write(process.stdout, `Imported ${dir} into ${dataDir}: ${summarizeImport(report)}.\n`);
  if (report.drafts.length || report.retirementDrafts.length) {
    await write(process.stdout, 'Entries that staff had edited became drafts: review and publish them in the console.\n');
  }
  await write(process.stdout, 'A server running on this store serves the changes after its next reload (kill -HUP <pid>).\n');
  return 0;
}

async function exportCommand(args: string[], dataDir: string): Promise<number> {
  const target = positional(args)[1];
  if (!target) {
    await write(process.stderr, USAGE);
    return 2;
  }
  const dir = path.resolve(target);
  const drafts = args.includes('--drafts');
  if (!existsSync(dataDir === ':memory:' ? '/' : resolveFromRoot(dataDir))) {
    await write(process.stderr, `There is no store in ${dataDir}.\n`);
    return 1;
  }
  const { CorpusStore } = await import('../editorial/corpus-store.js');
  const { renderEntryFile } = await import('../editorial/entry-file.js');
  const files = await withStore(dataDir, async (app) => {
    const store = app.get(CorpusStore);
    const states = await store.states();
    const revisions = await store.revisionsByIds(states.flatMap((s) => (drafts ? [s.head] : s.live === null ? [] : [s.live])));
    return [...revisions.values()]
      .filter((r) => r.content !== null)
      .map((r) => ({ file: `${r.locale}/${r.entryId}.md`, text: r.source ?? renderEntryFile(r.content!) }));
  });
  const written = new Set(files.map((f) => f.file));
  for (const f of files) {
    await mkdir(path.join(dir, path.dirname(f.file)), { recursive: true });
    await writeFile(path.join(dir, f.file), f.text);
  }
  await write(process.stdout, `Exported ${files.length} ${drafts ? 'latest' : 'live'} entries to ${dir}.\n`);
  // Files of entries the store does not have (live): retired, or never imported. Left for you to remove.
  const stray: string[] = [];
  for (const locale of new Set(files.map((f) => path.dirname(f.file)))) {
    for (const name of (await readdir(path.join(dir, locale))).filter(isEntryFileName)) {
      if (!written.has(`${locale}/${name}`)) stray.push(`${locale}/${name}`);
    }
  }
  if (stray.length)
    await write(
      process.stdout,
      `Not in the store's ${drafts ? 'latest' : 'live'} corpus (remove them if retired): ${stray.join(', ')}\n`,
    );
  return 0;
}

async function main(args: string[]): Promise<number> {
  const [command, arg] = args;
  if (command === 'import' || command === 'export') {
    const dataDir = chosenStore(args);
    if (!dataDir) {
      await write(
        process.stderr,
        `${command} works on a store: name it with --data-dir DIR (the server's store is its DATA_DIR, ./data by default), or set DATA_DIR.\n`,
      );
      return 2;
    }
    return command === 'import' ? importCommand(args, dataDir) : exportCommand(args, dataDir);
  }
  const dir = resolveFromRoot(command === 'check' && arg ? arg : (process.env.KNOWLEDGE_DIR ?? 'knowledge'));
  const result = await loadCorpus(dir);
  if (!result.ok) {
    await write(process.stderr, `The corpus in ${dir} is invalid:\n${formatProblems(result.problems)}\n`);
    return 1;
  }
  const { corpus } = result;
  switch (command) {
    case 'check':
      if (corpus.warnings.length) await write(process.stderr, `Warnings:\n${formatProblems(corpus.warnings)}\n`);
      await write(process.stdout, `OK: ${corpus.entries.length} entries, version ${corpus.version}\n`);
      return 0;
    case 'hash': {
      const entry = corpus.entries.find((e) => e.locale === 'en' && e.id === arg);
      if (!entry) {
        await write(process.stderr, `No English entry "${arg}".\n`);
        return 1;
      }
      await write(process.stdout, `${translationHash(entry)}\n`);
      return 0;
    }
    case 'due':
      for (const d of translationsDue(corpus.entries)) await write(process.stdout, `${d.file}: ${d.reason}\n`);
      return 0;
    default:
      await write(process.stderr, USAGE);
      return 2;
  }
}

process.exitCode = await main(process.argv.slice(2));
