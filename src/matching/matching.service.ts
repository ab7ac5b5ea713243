import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { KnowledgeService } from '../knowledge/knowledge.service.js';
import type { Locale } from '../knowledge/entry.schema.js';
import { Matcher, type MatchResult } from './matcher.js';

/** Keeps a matcher built for the live corpus; rebuilt (never updated in place) when the corpus changes. */
@Injectable()
export class MatchingService {
  private matcher: Matcher | null = null;

  constructor(@Inject(KnowledgeService) knowledge: KnowledgeService, @Inject(AppConfig) config: AppConfig) {
    const options = { threshold: config.get('MATCH_THRESHOLD'), minMargin: config.get('MATCH_MIN_MARGIN') };
    knowledge.onChange((corpus) => {
      this.matcher = new Matcher(corpus.entries, corpus.synonyms, options);
    });
  }

  match(text: string, locale: Locale): MatchResult {
    if (!this.matcher) throw new Error('The matcher has no corpus yet');
    return this.matcher.match(text, locale);
  }
}
