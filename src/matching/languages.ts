import { createRequire } from 'node:module';
import { stemmer as spanishStemmer } from '@orama/stemmers/spanish';
import { stemmer as englishStemmer } from 'stemmer';
import type { Locale } from '../knowledge/entry.schema.js';
import { FRAMING_WORDS_EN, FRAMING_WORDS_ES, STOP_WORDS_EN, STOP_WORDS_ES } from './stopwords.js';
import { WordFilter } from './word-filter.js';

/**
 * What the matcher needs to know about a language: its stop words, stemmer, question words and a
 * dictionary of real words (never "corrected" into a corpus word). Adding a locale means adding one of
 * these (see README, "Adding a locale").
 */
export interface LanguagePack {
  locale: Locale;
  /** Function and filler words, already normalised (lower case, no accents). */
  stopWords: ReadonlySet<string>;
  /** Words that frame a question without naming its topic (family, feelings, filler): dropped from a question when the corpus does not use them. */
  framingWords: ReadonlySet<string>;
  /** A normalised word to its stem. */
  stem(word: string): string;
  /** Words that ask without naming a topic ("what", "qué"): a message of only these asks nothing. */
  questionWords: ReadonlySet<string>;
  /**
   * Real words of the language, never "corrected" into a corpus word. Without a dictionary, unknown
   * words are not corrected at all: brand and place names ("Costco", "botox") would be.
   */
  dictionary: ((word: string) => boolean) | null;
  /** Words that start a second question inside one message ("and how ...", "y cuánto ..."). */
  questionStarters: ReadonlySet<string>;
  /** Words joining two questions ("and", "y"), and ones announcing another ("also", "también"). */
  joiners: ReadonlySet<string>;
}

const require = createRequire(import.meta.url);

let englishWords: WordFilter | null = null;
/** wooorm's list of English words, loaded once and kept as a compact filter. */
function englishDictionary(): WordFilter {
  if (!englishWords) {
    const words = require('an-array-of-english-words') as string[];
    englishWords = new WordFilter(words, words.length);
  }
  return englishWords;
}

const EN_QUESTION = ['what', 'who', 'how', 'why', 'when', 'where', 'which'];

const english: LanguagePack = {
  locale: 'en',
  stopWords: STOP_WORDS_EN,
  framingWords: FRAMING_WORDS_EN,
  stem: englishStemmer,
  questionWords: new Set(EN_QUESTION),
  dictionary: (w) => englishDictionary().has(w),
  questionStarters: new Set([...EN_QUESTION, 'is', 'are', 'can', 'could', 'do', 'does', 'will', 'should', 'would', 'am']),
  joiners: new Set(['and', 'also', 'plus']),
};

/**
 * Snowball's Spanish stemmer expects accents ("medicación" -> "medic"), but visitors often leave them
 * out ("medicacion" stays whole). Words are folded first for both corpus and questions, then the
 * commonest accented ending (-ción, -sión) is put back so both spellings reach the same stem.
 */
function stemSpanish(word: string): string {
  const accented = word.replace(/([cs])ion$/, '$1ión');
  return spanishStemmer(accented)
    .normalize('NFKD')
    .replace(/\p{M}/gu, '');
}

const ES_QUESTION = ['que', 'quien', 'quienes', 'como', 'cuando', 'donde', 'cual', 'cuales', 'cuanto', 'cuanta', 'cuantos', 'cuantas', 'porque'];

const spanish: LanguagePack = {
  locale: 'es',
  stopWords: STOP_WORDS_ES,
  framingWords: FRAMING_WORDS_ES,
  stem: stemSpanish,
  questionWords: new Set([...ES_QUESTION, ...ES_QUESTION.map(stemSpanish)]),
  // No Spanish word list (the one on npm holds 636,000 words): no typo correction beyond the misspellings
  // in synonyms.es.yaml. Measured on the Spanish dev set it changed no right answer and turned
  // "Costco" into "costo"; character n-grams in the learned matcher cover typos instead.
  dictionary: null,
  questionStarters: new Set([...ES_QUESTION, 'es', 'son', 'puedo', 'puede', 'se', 'hay', 'tengo', 'debo', 'necesito']),
  joiners: new Set(['y', 'e', 'tambien', 'ademas']),
};

export const LANGUAGES: Record<Locale, LanguagePack> = { en: english, es: spanish };
