import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import path from 'node:path';
import { AppConfig } from '../config/app-config.js';
import type { Corpus } from '../knowledge/corpus-loader.js';
import type { Locale } from '../knowledge/entry.schema.js';
import { KnowledgeService } from '../knowledge/knowledge.service.js';
import { resolveFromRoot } from '../paths.js';
import { DirectoryClassifierCache, MemoryClassifierCache, type ClassifierCache } from './classifier-cache.js';
import { ClassifierTrainer } from './classifier-trainer.js';
import type { LanguageGuess } from './language-detector.js';
import { DEFAULT_MATCH_OPTIONS, Matcher, type MatchOptions, type MatchResult } from './matcher.js';

const IN_MEMORY = ':memory:';

/** The classifier cache the configuration asks for (see MATCHER_CACHE_DIR). */
export function classifierCache(config: AppConfig): ClassifierCache {
  const dir = config.get('MATCHER_CACHE_DIR') ?? (config.get('DATA_DIR') === IN_MEMORY ? IN_MEMORY : path.join(config.get('DATA_DIR'), 'matcher-cache'));
  return dir === IN_MEMORY ? new MemoryClassifierCache() : new DirectoryClassifierCache(resolveFromRoot(dir));
}

/** Matches with one particular corpus's matcher (to try a draft corpus before it goes live). */
export type MatchFn = (text: string, locale: Locale) => MatchResult;

type MatchableCorpus = Pick<Corpus, 'entries' | 'synonyms'> & { version?: string };

/**
 * Keeps the matcher built for the live corpus. A new corpus builds a whole new matcher off to the side
 * (lexical indexes, then each locale's classifier, trained in a worker thread or loaded from the cache)
 * and swaps it in with one assignment; questions meanwhile go to the previous matcher. A corpus that
 * cannot be indexed is refused at once (the live corpus stays), and one prepared ahead (publishing tries
 * a draft corpus first) swaps in without being built again.
 */
@Injectable()
export class MatchingService implements OnModuleInit {
  private readonly logger = new Logger(MatchingService.name);
  private matcher: Matcher | null = null;
  private readonly options: MatchOptions;
  private readonly trainer: ClassifierTrainer;
  private generation = 0;
  private latest: Promise<Matcher> | null = null;
  /** Matchers built ahead for a corpus that is not live yet, by corpus object. */
  private readonly prepared = new WeakMap<object, Matcher>();

  constructor(@Inject(KnowledgeService) knowledge: KnowledgeService, @Inject(AppConfig) config: AppConfig) {
    this.options = {
      ...DEFAULT_MATCH_OPTIONS,
      threshold: config.get('MATCH_THRESHOLD'),
      minMargin: config.get('MATCH_MIN_MARGIN'),
      classifierWeight: config.get('MATCH_CLASSIFIER_WEIGHT'),
      classifierWeightByLocale: { es: config.get('MATCH_CLASSIFIER_WEIGHT_ES') },
      disagreementPenalty: config.get('MATCH_DISAGREEMENT_PENALTY'),
    };
    this.trainer = new ClassifierTrainer(classifierCache(config));
    knowledge.onChange((corpus) => this.swapIn(corpus));
  }

  /** Start-up waits for the first matcher, classifier included, so the first answers are the real ones. */
  async onModuleInit(): Promise<void> {
    await this.latest;
  }

  /**
   * The knowledge service's listener: throws (so the corpus is refused) when the corpus cannot be
   * indexed; otherwise the new matcher swaps in now if it was prepared, or when its classifiers are ready.
   */
  private swapIn(corpus: Corpus): void {
    const ready = this.prepared.get(corpus);
    if (ready) {
      this.generation++;
      this.matcher = ready;
      this.latest = Promise.resolve(ready);
      return;
    }
    const lexical = new Matcher(corpus, this.options); // throws when the corpus cannot be indexed
    void this.rebuild(corpus, lexical).catch(() => undefined);
  }

  /**
   * Builds the full matcher for `corpus` (classifiers included) without touching the live one, and
   * returns its match function. Throws when it cannot be built. When this very corpus goes live, this
   * matcher is swapped in rather than built again.
   */
  async prepare(corpus: MatchableCorpus): Promise<MatchFn> {
    const matcher = this.prepared.get(corpus) ?? (await this.build(corpus));
    this.prepared.set(corpus, matcher);
    return (text, locale) => matcher.match(text, locale);
  }

  /**
   * Builds a matcher for this corpus fully off to the side, then swaps it in (one reference). When
   * several rebuilds overlap, the newest corpus wins: an older build that finishes later is dropped.
   * A classifier that cannot be trained leaves that locale on the lexical score alone (logged).
   */
  rebuild(corpus: MatchableCorpus, lexical?: Matcher): Promise<Matcher> {
    const generation = ++this.generation;
    const build = (async () => {
      const started = performance.now();
      const matcher = await this.build(corpus, lexical);
      if (generation === this.generation) {
        this.matcher = matcher;
        const ms = Math.round(performance.now() - started);
        this.logger.log(`Matcher ${corpus.version ?? ''} ready in ${ms} ms (${[...matcher.locales.keys()].join(', ')})`);
      }
      return matcher;
    })();
    this.latest = build;
    return build;
  }

  private async build(corpus: MatchableCorpus, lexical?: Matcher): Promise<Matcher> {
    const matcher = lexical ?? new Matcher(corpus, this.options);
    if (this.options.classifierWeight > 0) {
      await Promise.all(
        [...matcher.locales.values()].map(async (locale) => {
          try {
            locale.useClassifier(await this.trainer.obtain(locale.trainingSet()));
          } catch (err) {
            this.logger.error(`Classifier for ${locale.locale} not available, lexical matching only: ${(err as Error).message}`);
          }
        }),
      );
    }
    return matcher;
  }

  /** The live matcher (for staff tools and benchmarks). */
  get current(): Matcher {
    if (!this.matcher) throw new Error('The matcher has no corpus yet');
    return this.matcher;
  }

  match(text: string, locale: Locale): MatchResult {
    return this.current.match(text, locale);
  }

  /** The language of a message among the corpus's locales; `hint` (the widget's locale) breaks ties. */
  detect(text: string, hint: Locale): LanguageGuess {
    return this.current.detect(text, hint);
  }

  /** The live gate's settings, for staff tools. */
  get gate(): { threshold: number; minMargin: number } {
    return { threshold: this.options.threshold, minMargin: this.options.minMargin };
  }
}
