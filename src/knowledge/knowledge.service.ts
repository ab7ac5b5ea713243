import { watch, type FSWatcher } from 'node:fs';
import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { resolveFromRoot } from '../paths.js';
import { formatProblems, loadCorpus, type Corpus, type LoadResult } from './corpus-loader.js';
import type { Entry, Locale } from './entry.schema.js';

/**
 * Holds the live corpus. A reload that finds any problem is reported and ignored: the live corpus is
 * replaced only by a corpus that is valid as a whole.
 */
@Injectable()
export class KnowledgeService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(KnowledgeService.name);
  private corpus: Corpus | null = null;
  private byKey = new Map<string, Entry>();
  private readonly listeners: Array<(corpus: Corpus) => void> = [];
  /** Other reviewed files under the knowledge folder (lexicons, reply texts), reloaded with the corpus. */
  private readonly companions: Array<{ name: string; reload: () => void }> = [];
  private watcher: FSWatcher | null = null;
  readonly dir: string;

  constructor(@Inject(AppConfig) private readonly config: AppConfig) {
    this.dir = resolveFromRoot(config.get('KNOWLEDGE_DIR'));
  }

  async onModuleInit(): Promise<void> {
    const result = await this.reload();
    if (!result.ok) throw new Error(`The corpus in ${this.dir} is invalid:\n${formatProblems(result.problems)}`);
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

  /** Reads the corpus again; swaps it in only when every file is valid. Never throws. */
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
    const { corpus } = result;
    if (corpus.version === this.corpus?.version) return result;
    this.corpus = corpus;
    this.byKey = new Map(corpus.entries.map((e) => [`${e.locale}/${e.id}`, e]));
    for (const w of corpus.warnings) this.logger.warn(`${w.file} (${w.field}): ${w.message}`);
    this.logger.log(`Corpus ${corpus.version} loaded: ${corpus.entries.length} entries`);
    for (const listener of this.listeners) listener(corpus);
    return result;
  }

  get current(): Corpus {
    if (!this.corpus) throw new Error('The corpus has not been loaded yet');
    return this.corpus;
  }

  /** An entry by id, in the given locale or else in English. */
  entry(locale: Locale, id: string): Entry | undefined {
    return this.byKey.get(`${locale}/${id}`) ?? this.byKey.get(`en/${id}`);
  }

  /** Calls `listener` now (if a corpus is loaded) and after every successful reload. */
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
