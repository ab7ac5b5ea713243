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

/**
 * Keeps the matcher built for the live corpus. A new corpus builds a whole new matcher off to the side
 * (lexical indexes, then each locale's classifier, trained in a worker thread or loaded from the cache)
 * and swaps it in with one assignment; questions meanwhile go to the previous matcher.
 */
@Injectable()
export class MatchingService implements OnModuleInit {
  private readonly logger = new Logger(MatchingService.name);
  private matcher: Matcher | null = null;
  private readonly options: MatchOptions;
  private readonly trainer: ClassifierTrainer;
  private generation = 0;
  private latest: Promise<Matcher> | null = null;

  constructor(@Inject(KnowledgeService) knowledge: KnowledgeService, @Inject(AppConfig) config: AppConfig) {
    this.options = {
      ...DEFAULT_MATCH_OPTIONS,
      threshold: config.get('MATCH_THRESHOLD'),
      minMargin: config.get('MATCH_MIN_MARGIN'),
      classifierWeight: config.get('MATCH_CLASSIFIER_WEIGHT'),
    };
    this.trainer = new ClassifierTrainer(classifierCache(config));
    knowledge.onChange((corpus) => void this.rebuild(corpus).catch(() => undefined));
  }

  /** Start-up waits for the first matcher, classifier included, so the first answers are the real ones. */
  async onModuleInit(): Promise<void> {
    await this.latest;
  }

  /**
   * Builds a matcher for this corpus fully off to the side, then swaps it in (one reference). When
   * several rebuilds overlap, the newest corpus wins: an older build that finishes later is dropped.
   * A classifier that cannot be trained leaves that locale on the lexical score alone (logged).
   */
  rebuild(corpus: Pick<Corpus, 'entries' | 'synonyms'> & { version?: string }): Promise<Matcher> {
    const generation = ++this.generation;
    const build = (async () => {
      const started = performance.now();
      const matcher = new Matcher(corpus, this.options);
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
}
