import type { Synonyms } from '../knowledge/entry.schema.js';
import { allowedEdits, editDistance } from './fuzzy.js';
import type { LanguagePack } from './languages.js';
import { normalizeWords } from './normalize.js';

/** Typo corrections remembered (visitors repeat the same typos); bounded, cleared when full. */
const CORRECTION_CACHE_SIZE = 5000;
const ALL_DIGITS = /^\d+$/;

/** A text as the matcher sees it: its words (normalised, spelling fixed) and its tokens. */
export interface Analysis {
  /** Normalised words, known misspellings fixed, before synonyms, stop words and stemming. */
  words: string[];
  /** Matching tokens: synonyms replaced by their canonical term, stop words dropped, stemmed. */
  tokens: string[];
}

/**
 * Turns text into matching tokens for one language, identically for the corpus and for visitors'
 * questions: normalise, fix known misspellings, (questions only, in a language with a dictionary) correct
 * unknown words to the nearest corpus word, replace synonyms by their group's canonical term, drop stop words, stem.
 */
export class Analyzer {
  private readonly misspellings: Map<string, string>;
  /** Synonym phrases by their first word, longest first, each with its canonical token. */
  private readonly phrases = new Map<string, Array<{ words: string[]; canonical: string }>>();
  /** Corpus words (before stemming) with how many texts use them: the dictionary for typo correction. */
  private readonly vocabulary = new Map<string, number>();
  /** The same words by length, for typo correction (a word is only compared with words of similar length). */
  private byLength: Array<Array<[string, number]>> | null = null;
  private readonly corrections = new Map<string, string>();
  private readonly stems = new Map<string, string>();

  constructor(
    readonly language: LanguagePack,
    synonyms: Synonyms,
  ) {
    const norm = (s: string) => normalizeWords(s, language.locale);
    this.misspellings = new Map(Object.entries(synonyms.misspellings).map(([k, v]) => [norm(k).join(' '), norm(v).join(' ')]));
    const all = synonyms.groups
      .flatMap((group) => {
        const canonical = norm(group[0]).join('');
        return group.map((term) => ({ words: norm(term), canonical }));
      })
      .filter((p) => p.words.length > 0)
      .sort((a, b) => b.words.length - a.words.length);
    for (const p of all) {
      const list = this.phrases.get(p.words[0]) ?? [];
      list.push(p);
      this.phrases.set(p.words[0], list);
    }
  }

  /** Registers corpus text so that visitors' typos can be corrected towards its words. */
  learn(text: string): void {
    for (const w of new Set(this.fixSpelling(normalizeWords(text, this.language.locale)))) {
      this.vocabulary.set(w, (this.vocabulary.get(w) ?? 0) + 1);
    }
    this.byLength = null;
  }

  /** Tokens of a corpus text. */
  document(text: string): string[] {
    return this.finish(this.fixSpelling(normalizeWords(text, this.language.locale)));
  }

  /** Tokens of a corpus text with its words (the learned matcher's features use both). */
  analyseDocument(text: string): Analysis {
    const words = this.fixSpelling(normalizeWords(text, this.language.locale));
    return { words, tokens: this.finish(words) };
  }

  /**
   * A visitor's question, with unknown words corrected to the nearest corpus word. Words that only frame
   * the question (see FRAMING_WORDS_EN) are dropped when the corpus does not use them: "my brother" would
   * otherwise weigh more than any topic word the question shares with an entry.
   */
  analyseQuery(text: string): Analysis {
    const words = this.fixSpelling(normalizeWords(text, this.language.locale))
      .filter((w) => !this.language.framingWords.has(w) || this.vocabulary.has(w))
      .map((w) => this.correct(w));
    return { words, tokens: this.finish(words) };
  }

  /** Tokens of a visitor's question. */
  query(text: string): string[] {
    return this.analyseQuery(text).tokens;
  }

  /** The tokens of words already normalised and corrected (the parts of a split message). */
  tokensOf(words: string[]): string[] {
    return this.finish(words);
  }

  private fixSpelling(words: string[]): string[] {
    if (this.misspellings.size === 0) return words;
    return words.flatMap((w) => {
      const fixed = this.misspellings.get(w);
      return fixed === undefined ? [w] : fixed.split(' ');
    });
  }

  private correct(word: string): string {
    const max = allowedEdits(word.length);
    const dictionary = this.language.dictionary;
    if (!dictionary || max === 0 || this.vocabulary.has(word) || this.language.stopWords.has(word) || /\d/.test(word)) return word;
    const cached = this.corrections.get(word);
    if (cached !== undefined) return cached;
    const corrected = dictionary(word) ? word : this.nearest(word, max);
    if (this.corrections.size >= CORRECTION_CACHE_SIZE) this.corrections.clear();
    this.corrections.set(word, corrected);
    return corrected;
  }

  /** The most used corpus word within `max` edits, or the word itself. */
  private nearest(word: string, max: number): string {
    if (!this.byLength) {
      this.byLength = [];
      for (const entry of this.vocabulary) {
        if (allowedEdits(entry[0].length) === 0) continue;
        (this.byLength[entry[0].length] ??= []).push(entry);
      }
    }
    let best = word;
    let bestDistance = max + 1;
    let bestCount = 0;
    for (let len = word.length - max; len <= word.length + max; len++) {
      for (const [known, count] of this.byLength[len] ?? []) {
        const d = editDistance(word, known, Math.min(max, bestDistance));
        if (d < bestDistance || (d === bestDistance && count > bestCount)) {
          best = known;
          bestDistance = d;
          bestCount = count;
        }
      }
    }
    return bestDistance <= max ? best : word;
  }

  private finish(words: string[]): string[] {
    const out: string[] = [];
    for (let i = 0; i < words.length; ) {
      const phrase = this.phrases.get(words[i])?.find((p) => p.words.every((w, k) => words[i + k] === w));
      if (phrase) {
        out.push(phrase.canonical);
        i += phrase.words.length;
        continue;
      }
      const w = words[i++];
      // Bare numbers ("my 25-year-old", "5 antidepressants") name no topic; ones that do are in synonym phrases ("under 18").
      if (!this.language.stopWords.has(w) && !ALL_DIGITS.test(w)) out.push(this.stem(w));
    }
    return out;
  }

  private stem(word: string): string {
    let s = this.stems.get(word);
    if (s === undefined) {
      s = this.language.stem(word);
      if (this.stems.size < 50_000) this.stems.set(word, s);
    }
    return s;
  }
}
