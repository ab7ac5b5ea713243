import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import type { Corpus } from '../knowledge/corpus-loader.js';
import { KnowledgeService } from '../knowledge/knowledge.service.js';
import type { Locale } from '../knowledge/entry.schema.js';
import { Matcher, type MatchResult } from './matcher.js';

/** Matches with one particular corpus's index. */
export type MatchFn = (text: string, locale: Locale) => MatchResult;

/** Keeps a matcher built for the live corpus; rebuilt (never updated in place) when the corpus changes. */
@Injectable()
export class MatchingService {
  private matcher: Matcher | null = null;
  private readonly options: { threshold: number; minMargin: number };
  /** Matchers built ahead for a corpus that is not live yet (publishing tries one, then swaps it in). */
  private readonly prepared = new WeakMap<Corpus, Matcher>();

  constructor(@Inject(KnowledgeService) knowledge: KnowledgeService, @Inject(AppConfig) config: AppConfig) {
    this.options = { threshold: config.get('MATCH_THRESHOLD'), minMargin: config.get('MATCH_MIN_MARGIN') };
    knowledge.onChange((corpus) => this.rebuild(corpus));
  }

  /**
   * Builds the index for `corpus` fully, without touching the live one, and returns its match function
   * (to try a draft corpus). Throws when it cannot be built. `rebuild` of the same corpus object later
   * swaps in this very index instead of building another.
   */
  prepare(corpus: Corpus): MatchFn {
    const matcher = this.prepared.get(corpus) ?? new Matcher(corpus.entries, corpus.synonyms, this.options);
    this.prepared.set(corpus, matcher);
    return (text, locale) => matcher.match(text, locale);
  }

  /**
   * Rebuild from this corpus and swap: the new index is built completely first, then one reference is
   * replaced. If the build throws, the old index stays live (and the error goes to the caller).
   */
  rebuild(corpus: Corpus): void {
    const next = this.prepared.get(corpus) ?? new Matcher(corpus.entries, corpus.synonyms, this.options);
    this.matcher = next;
  }

  match(text: string, locale: Locale): MatchResult {
    if (!this.matcher) throw new Error('The matcher has no corpus yet');
    return this.matcher.match(text, locale);
  }

  /** The live gate's settings, for staff tools. */
  get gate(): { threshold: number; minMargin: number } {
    return { ...this.options };
  }
}
