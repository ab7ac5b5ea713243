import { watch, type FSWatcher } from 'node:fs';
import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { resolveFromRoot } from '../paths.js';
import { formatProblems, loadCorpus, type Corpus, type LoadResult } from './corpus-loader.js';
import type { Entry, Locale } from './entry.schema.js';

/**
 * Takes each valid baseline (the reviewed files just read) and makes the corpus to serve live with
 * `setLive`. The editorial store registers one: it records the baseline's changes as revisions and
 * serves its published revisions. It throws to keep the live corpus.
 */
export type LiveSource = (baseline: Corpus) => Promise<void>;

/**
 * Holds the live corpus. A reload that finds any problem is reported and ignored: the live corpus is
 * replaced only by a corpus that is valid as a whole. The files under KNOWLEDGE_DIR are the reviewed
 * baseline; with a live source registered (the editorial store), the corpus served is the one the source
 * returns for it, and publishing swaps in a new one with `setLive`.
 */
@Injectable()
export class KnowledgeService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(KnowledgeService.name);
  private corpus: Corpus | null = null;
  private byKey = new Map<string, Entry>();
  private readonly listeners: Array<(corpus: Corpus) => void> = [];
  /** Other reviewed files under the knowledge folder (lexicons, reply texts), reloaded with the corpus. */
  private readonly companions: Array<{ name: string; reload: () => void }> = [];
  private liveSource: LiveSource | null = null;
  private watcher: FSWatcher | null = null;
  readonly dir: string;

  constructor(@Inject(AppConfig) private readonly config: AppConfig) {
    this.dir = resolveFromRoot(config.get('KNOWLEDGE_DIR'));
  }

  async onModuleInit(): Promise<void> {
    const result = await this.reload();
    if (!result.ok) throw new Error(`The corpus in ${this.dir} is invalid:\n${formatProblems(result.problems)}`);
    if (!this.corpus) throw new Error('The corpus could not be loaded (see the log above)');
    if (this.config.get('KNOWLEDGE_WATCH')) this.watch();
  }

  onModuleDestroy(): void {
    this.watcher?.close();
  }

  /**
   * Reloads everything under the knowledge folder: the corpus and its companions (safety lexicons, reply
   * texts). Each swaps in only when valid; a failure is logged and the live version kept. Never throws.
   */
  async reloadAll(): Promise<void> {
    await this.reload();
    for (const companion of this.companions) {
      try {
        companion.reload();
      } catch (err) {
        this.logger.error(`${companion.name} not reloaded, the live version stays in use:\n${(err as Error).message}`);
      }
    }
  }

  /** Registers a reviewed file set that reloads with the corpus (it throws to refuse an invalid version). */
  addCompanion(name: string, reload: () => void): void {
    this.companions.push({ name, reload });
  }

  /** From now on, the corpus served is what `source` makes of each valid baseline (see LiveSource). */
  useLiveSource(source: LiveSource): void {
    this.liveSource = source;
  }

  /**
   * Reads the baseline again; when every file is valid, swaps in the corpus to serve (the baseline
   * itself, or what the live source makes of it). Never throws: a failure keeps the live corpus.
   */
  async reload(): Promise<LoadResult> {
    let result: LoadResult;
    try {
      result = await loadCorpus(this.dir);
    } catch (err) {
      result = { ok: false, problems: [{ file: '.', message: (err as Error).message }] };
    }
    if (!result.ok) {
      this.logger.error(`Corpus not reloaded, the live corpus stays in use:\n${formatProblems(result.problems)}`);
      return result;
    }
    if (!this.liveSource) {
      this.setLive(result.corpus);
      return result;
    }
    try {
      await this.liveSource(result.corpus);
    } catch (err) {
      this.logger.error(`Corpus not reloaded, the live corpus stays in use: ${(err as Error).message}`);
    }
    return result;
  }

  /**
   * Makes `corpus` the live one. Its listeners (the matcher) build from it first, and must throw rather
   * than half-apply it: if one throws, the live corpus stays and this returns false. Nothing awaits in
   * between, so no message sees the new matcher with the old entries or the reverse.
   */
  setLive(corpus: Corpus): boolean {
    if (corpus.version === this.corpus?.version) return true;
    try {
      for (const listener of this.listeners) listener(corpus);
    } catch (err) {
      this.logger.error(`Corpus ${corpus.version} not swapped in, the live corpus stays in use: ${(err as Error).message}`);
      return false;
    }
    this.corpus = corpus;
    this.byKey = new Map(corpus.entries.map((e) => [`${e.locale}/${e.id}`, e]));
    for (const w of corpus.warnings) this.logger.warn(`${w.file} (${w.field}): ${w.message}`);
    this.logger.log(`Corpus ${corpus.version} live: ${corpus.entries.length} entries`);
    return true;
  }

  get current(): Corpus {
    if (!this.corpus) throw new Error('The corpus has not been loaded yet');
    return this.corpus;
  }

  /** An entry by id, in the given locale or else in English. */
  entry(locale: Locale, id: string): Entry | undefined {
    return this.byKey.get(`${locale}/${id}`) ?? this.byKey.get(`en/${id}`);
  }

  /** Calls `listener` now (if a corpus is loaded) and before every corpus that is swapped in. */
  onChange(listener: (corpus: Corpus) => void): void {
    this.listeners.push(listener);
    if (this.corpus) listener(this.corpus);
  }

  private watch(): void {
    let timer: NodeJS.Timeout | undefined;
    // Editors write a file in several steps: wait for quiet before reloading.
    this.watcher = watch(this.dir, { recursive: true }, () => {
      clearTimeout(timer);
      timer = setTimeout(() => void this.reloadAll(), 300);
    });
    this.watcher.on('error', (err) => this.logger.error(`watching ${this.dir} failed: ${err.message}`));
  }
}
