import type { Entry, Locale } from '../knowledge/entry.schema.js';
import { LANGUAGES } from './languages.js';
import { normalizeWords } from './normalize.js';

/** Spanish-only marks: inverted punctuation, ñ and accented vowels (each counts once per character). */
const SPANISH_MARKS = /[¿¡ñÑáéíóúÁÉÍÓÚ]/g;
const MARK_WEIGHT = 1;
const MARKS_MAX = 2;
/** A function word (stop word or question word) of one language only. */
const FUNCTION_WORD_WEIGHT = 1;
/** A word of one locale's corpus only. */
const CORPUS_WORD_WEIGHT = 0.5;
/** Less evidence than this in total, or a lead smaller than this, and the widget's locale decides. */
const MIN_EVIDENCE = 1.5;
const MIN_LEAD = 0.5;

export interface LanguageGuess {
  locale: Locale;
  /** Evidence per locale (for staff tools and tests). */
  evidence: Record<Locale, number>;
  /** True when the evidence was too thin and the hint decided. */
  fromHint: boolean;
}

/**
 * Which of the shipped languages a message is written in, by a transparent rule: each word that
 * belongs to one language only (its function words, or its corpus's words) counts for that language;
 * Spanish punctuation and accents count for Spanish. Words of both (ketamine brand names, "no", "me")
 * count for neither. Short or mixed messages without a clear lead keep the widget's locale (the hint).
 */
export class LanguageDetector {
  private readonly functionWords = new Map<string, Locale | null>();
  private readonly corpusWords = new Map<string, Locale | null>();

  constructor(entries: Entry[]) {
    const add = (map: Map<string, Locale | null>, word: string, locale: Locale) => {
      const owner = map.get(word);
      map.set(word, owner === undefined || owner === locale ? locale : null);
    };
    for (const pack of Object.values(LANGUAGES)) {
      for (const w of [...pack.stopWords, ...pack.questionWords, ...pack.joiners]) add(this.functionWords, w, pack.locale);
    }
    for (const e of entries) {
      const text = [e.question, ...e.alternates, e.summary ?? '', e.body].join(' ');
      for (const w of new Set(normalizeWords(text, e.locale))) if (w.length > 2 && !/\d/.test(w)) add(this.corpusWords, w, e.locale);
    }
  }

  detect(text: string, hint: Locale): LanguageGuess {
    const evidence: Record<Locale, number> = { en: 0, es: 0 };
    evidence.es += Math.min(MARKS_MAX, (text.match(SPANISH_MARKS) ?? []).length) * MARK_WEIGHT;
    // Split without English contractions, so "what's" is read as "what" and "s".
    for (const w of normalizeWords(text, 'es')) {
      const fn = this.functionWords.get(w);
      if (fn) {
        evidence[fn] += FUNCTION_WORD_WEIGHT;
        continue;
      }
      if (fn === null) continue;
      const corpus = this.corpusWords.get(w);
      if (corpus) evidence[corpus] += CORPUS_WORD_WEIGHT;
    }
    const ranked = (Object.keys(evidence) as Locale[]).sort((a, b) => evidence[b] - evidence[a]);
    const [first, second] = ranked;
    const total = evidence.en + evidence.es;
    if (total < MIN_EVIDENCE || evidence[first] - evidence[second] < MIN_LEAD) return { locale: hint, evidence, fromHint: true };
    return { locale: first, evidence, fromHint: false };
  }
}
