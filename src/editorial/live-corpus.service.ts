import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Cluster } from '../cluster/cluster.js';
import { buildCorpus, formatProblems, type Corpus, type LoadResult } from '../knowledge/corpus-loader.js';
import type { Locale, Synonyms } from '../knowledge/entry.schema.js';
import { KnowledgeService } from '../knowledge/knowledge.service.js';
import { MatchingService } from '../matching/matching.service.js';
import { StorageService } from '../storage/storage.service.js';
import { BaselineImport, summarizeImport, type ImportReport } from './baseline-import.js';
import { CorpusStore, type Db } from './corpus-store.js';
import { contentHash, toEntry, type EntryContent } from './entry-content.js';

/** One entry replaced (or, with null, removed) in a corpus being tried. */
export interface Replacement {
  locale: Locale;
  entryId: string;
  content: EntryContent | null;
}

/**
 * The live corpus comes from the store: the published revision of every entry. This service makes the
 * knowledge folder's baseline flow into the store (at start-up, on SIGHUP, on a watched change), builds
 * the corpus to serve from the store, and swaps in a new one when something is published. Every write
 * to the corpus runs through `serial`, one at a time (across every instance). With several instances,
 * one that publishes or imports tells the others, which rebuild from the store and swap the new corpus
 * in, its matcher built first.
 */
const NO_SYNONYMS: Synonyms = { groups: [], misspellings: {}, domainTerms: [] };

@Injectable()
export class LiveCorpus {
  private readonly logger = new Logger(LiveCorpus.name);
  /** Synonyms stay file-based: they come with the baseline. */
  private synonyms: Corpus['synonyms'] = { en: NO_SYNONYMS, es: NO_SYNONYMS };
  /** Counts baseline reloads: lexicons and reply texts may have changed with them. */
  generation = 0;
  /** The last baseline import, for /api and the logs. */
  lastImport: { at: string; report: ImportReport | null; error: string | null } | null = null;

  constructor(
    @Inject(KnowledgeService) private readonly knowledge: KnowledgeService,
    @Inject(CorpusStore) private readonly store: CorpusStore,
    @Inject(BaselineImport) private readonly baselineImport: BaselineImport,
    @Inject(StorageService) private readonly storage: StorageService,
    @Inject(MatchingService) private readonly matching: MatchingService,
    @Inject(Cluster) private readonly cluster: Cluster,
  ) {
    knowledge.useLiveSource((baseline) => this.fromBaseline(baseline));
    cluster.subscribe('corpus', ({ version }) => void this.follow(version));
  }

  /** Runs corpus writes one at a time (imports, drafts, publishing), on this instance and every other. */
  serial<T>(task: () => Promise<T>): Promise<T> {
    return this.cluster.lock('corpus', task);
  }

  /** Tells the other instances that the live corpus changed (they follow). */
  announce(version: string): void {
    this.cluster.publish('corpus', { version });
  }

  /** Another instance changed the live corpus in the store: build it here too, and swap it in. */
  private async follow(version: string): Promise<void> {
    try {
      await this.serial(async () => {
        if (version === this.current.version) return;
        const result = await this.build();
        if (!result.ok) throw new Error(formatProblems(result.problems));
        if (result.corpus.version === this.current.version) return;
        await this.matching.prepare(result.corpus);
        if (this.swap(result.corpus)) this.logger.log(`Corpus ${result.corpus.version} live, as another instance published`);
      });
    } catch (err) {
      this.logger.error(`Corpus ${version} from another instance not followed, the live corpus stays: ${(err as Error).message}`);
    }
  }

  get current(): Corpus {
    return this.knowledge.current;
  }

  /** Makes `corpus` live (its matcher already built by `MatchingService.prepare`). */
  swap(corpus: Corpus): boolean {
    return this.knowledge.setLive(corpus);
  }

  /**
   * The corpus the store says is live, optionally with one entry replaced: the corpus a publish would
   * make live. Not ok when it is not valid as a whole (a related entry missing, a shared phrasing).
   */
  async build(replacement?: Replacement, db: Db = this.store.db): Promise<LoadResult> {
    const live = await this.store.live(db);
    const contents = live
      .map((l) => l.content)
      .filter((c) => !replacement || c.locale !== replacement.locale || c.id !== replacement.entryId);
    if (replacement?.content) contents.push(replacement.content);
    contents.sort((a, b) => a.locale.localeCompare(b.locale) || a.id.localeCompare(b.id));
    const hash = createHash('sha256').update(JSON.stringify(this.synonyms));
    for (const c of contents) hash.update(`${c.locale}/${c.id}:${contentHash(c)}\n`);
    return buildCorpus(contents.map(toEntry), this.synonyms, hash.digest('hex').slice(0, 12));
  }

  /** The knowledge service's live source: import the baseline, then serve what the store has live. */
  private fromBaseline(baseline: Corpus): Promise<void> {
    return this.serial(async () => {
      await this.storage.migrate();
      this.generation++;
      this.synonyms = baseline.synonyms;
      const at = new Date().toISOString();
      let imported = false;
      try {
        const report = await this.baselineImport.run(baseline, at);
        this.lastImport = { at, report, error: null };
        const summary = summarizeImport(report);
        imported = summary !== 'no changes';
        if (imported) this.logger.log(`Baseline ${baseline.version} imported: ${summary}`);
        if (report.drafts.length || report.retirementDrafts.length)
          this.logger.warn('The baseline changed entries that staff had edited: review the drafts before publishing them');
      } catch (err) {
        // The store's live corpus stays; the baseline is tried again at the next reload.
        this.lastImport = { at, report: null, error: (err as Error).message };
        this.logger.error(`Baseline ${baseline.version} not imported: ${(err as Error).message}`);
      }
      const result = await this.build();
      if (!result.ok) throw new Error(`the store's live corpus is invalid:\n${formatProblems(result.problems)}`);
      // Swapped in under the lock, so a publish can never be overtaken by an older corpus.
      if (!this.swap(result.corpus)) throw new Error('the new corpus could not be swapped in');
      if (imported) this.announce(result.corpus.version);
    });
  }
}
