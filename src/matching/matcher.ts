import type { Corpus } from '../knowledge/corpus-loader.js';
import { LOCALES, type Locale } from '../knowledge/entry.schema.js';
import { LanguageDetector, type LanguageGuess } from './language-detector.js';
import { LocaleMatcher, type MatchOptions, type MatchResult } from './locale-matcher.js';
import { mayAskSeveral, splitQuestions } from './segments.js';

export { DEFAULT_MATCH_OPTIONS, type MatchOptions, type MatchResult, type ScoredEntry } from './locale-matcher.js';

/**
 * Matching for the whole corpus: one LocaleMatcher per locale that has entries (its own analyser,
 * index, IDF and classifier, so adding Spanish never moves an English score), the language detector,
 * and the two-questions rule. Immutable once built: a new corpus builds a new Matcher.
 */
export class Matcher {
  readonly locales = new Map<Locale, LocaleMatcher>();
  readonly detector: LanguageDetector;

  constructor(
    corpus: Pick<Corpus, 'entries' | 'synonyms'>,
    readonly options: MatchOptions,
  ) {
    for (const locale of LOCALES) {
      const entries = corpus.entries.filter((e) => e.locale === locale);
      if (entries.length) this.locales.set(locale, new LocaleMatcher(locale, entries, corpus.synonyms[locale], options));
    }
    this.detector = new LanguageDetector(corpus.entries);
  }

  /** The language a message is written in, among the locales that have entries (`hint`: the widget's). */
  detect(text: string, hint: Locale): LanguageGuess {
    const guess = this.detector.detect(text, hint);
    return this.locales.has(guess.locale) ? guess : { ...guess, locale: this.fallbackLocale(hint) };
  }

  /** Tokens of a visitor's text in a locale, as the matcher sees them (for staff tools and tests). */
  tokens(text: string, locale: Locale = 'en'): string[] {
    return this.forLocale(locale)?.analyzer.query(text) ?? [];
  }

  /**
   * Matches a message against one locale's entries. A message with several questions is answered with
   * the first one confidently matched; another confidently matched to a different entry comes back as
   * `alsoAsked`. When the message as a whole is confidently matched, that answer stands.
   */
  match(text: string, locale: Locale): MatchResult {
    const matcher = this.forLocale(locale);
    if (!matcher) return { ranked: [], answer: null, reason: 'no-terms', inDomain: false, locale, alsoAsked: null };
    const analysis = matcher.analyzer.analyseQuery(text);
    const whole = matcher.matchAnalysis(analysis);
    if (!mayAskSeveral(text, analysis.words, matcher.analyzer.language)) return whole;
    const parts = splitQuestions(text, matcher.analyzer.language);
    if (parts.length < 2) return whole;
    const answered = parts.map((p) => matcher.match(p)).filter((r) => r.answer !== null);
    const primary = whole.answer ? whole : answered[0];
    if (!primary?.answer) return whole;
    const other = answered.find((r) => r.answer!.entry.id !== primary.answer!.entry.id);
    return { ...primary, alsoAsked: other?.answer ?? null };
  }

  private forLocale(locale: Locale): LocaleMatcher | undefined {
    return this.locales.get(locale) ?? this.locales.get(this.fallbackLocale(locale));
  }

  private fallbackLocale(locale: Locale): Locale {
    return this.locales.has(locale) ? locale : this.locales.has('en') ? 'en' : ([...this.locales.keys()][0] ?? locale);
  }
}
