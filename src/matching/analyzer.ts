import { createRequire } from 'node:module';
import { stemmer } from 'stemmer';
import type { Synonyms } from '../knowledge/entry.schema.js';
import { allowedEdits, editDistance } from './fuzzy.js';
import { normalizeWords } from './normalize.js';
import { STOP_WORDS } from './stopwords.js';

// English words (wooorm's word list): a visitor's word that is a real word is never "corrected".
const englishWords = new Set<string>(createRequire(import.meta.url)('an-array-of-english-words') as string[]);

/**
 * Turns text into matching tokens, identically for the corpus and for visitors' questions:
 * normalise, fix known misspellings, (questions only) correct unknown words to the nearest corpus word,
 * replace synonyms by their group's canonical term, drop stop words, stem.
 */
export class Analyzer {
  private readonly misspellings: Map<string, string>;
  /** Synonym phrases as word lists, longest first, each with its canonical token. */
  private readonly phrases: Array<{ words: string[]; canonical: string }>;
  /** Corpus words (before stemming) with how many texts use them: the dictionary for typo correction. */
  private readonly vocabulary = new Map<string, number>();

  constructor(synonyms: Synonyms) {
    this.misspellings = new Map(
      Object.entries(synonyms.misspellings).map(([k, v]) => [normalizeWords(k).join(' '), normalizeWords(v).join(' ')]),
    );
    this.phrases = synonyms.groups
      .flatMap((group) => {
        const canonical = normalizeWords(group[0]).join('');
        return group.map((term) => ({ words: normalizeWords(term), canonical }));
      })
      .filter((p) => p.words.length > 0)
      .sort((a, b) => b.words.length - a.words.length);
  }

  /** Registers corpus text so that visitors' typos can be corrected towards its words. */
  learn(text: string): void {
    for (const w of new Set(this.fixSpelling(normalizeWords(text)))) {
      this.vocabulary.set(w, (this.vocabulary.get(w) ?? 0) + 1);
    }
  }

  /** Tokens of a corpus text. */
  document(text: string): string[] {
    return this.finish(this.fixSpelling(normalizeWords(text)));
  }

  /** Tokens of a visitor's question, with unknown words corrected to the nearest corpus word. */
  query(text: string): string[] {
    return this.finish(this.fixSpelling(normalizeWords(text)).map((w) => this.correct(w)));
  }

  private fixSpelling(words: string[]): string[] {
    return words.flatMap((w) => (this.misspellings.get(w) ?? w).split(' '));
  }

  private correct(word: string): string {
    const max = allowedEdits(word.length);
    if (max === 0 || STOP_WORDS.has(word) || this.vocabulary.has(word) || englishWords.has(word) || /\d/.test(word)) return word;
    let best = word;
    let bestDistance = max + 1;
    let bestCount = 0;
    for (const [known, count] of this.vocabulary) {
      if (allowedEdits(known.length) === 0) continue;
      const d = editDistance(word, known, max);
      if (d < bestDistance || (d === bestDistance && count > bestCount)) {
        best = known;
        bestDistance = d;
        bestCount = count;
      }
    }
    return bestDistance <= max ? best : word;
  }

  private finish(words: string[]): string[] {
    const out: string[] = [];
    for (let i = 0; i < words.length;) {
      const phrase = this.phrases.find((p) => p.words.every((w, k) => words[i + k] === w));
      if (phrase) {
        out.push(phrase.canonical);
        i += phrase.words.length;
        continue;
      }
      const w = words[i++];
      if (!STOP_WORDS.has(w)) out.push(stemmer(w));
    }
    return out;
  }
}
