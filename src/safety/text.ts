/**
 * Text as the safety screen reads it: sentences of clauses of plain, lower-case, accent-free words.
 *
 * People write about crisis in every possible way: hidden characters, look-alike letters, letters
 * swapped for digits, spaced letters, stretched words, shouting. All of it must read as plain words,
 * and nothing here may turn one real word into another: a word is only ever changed when it mixes
 * letters with digits or symbols ("k1ll"), stretches a letter three times or more ("diiiie"), or is
 * spelled out letter by letter ("k i l l"), none of which a real word does. Spelling mistakes are
 * corrected later, against the lexicon's own words only (see grammar.ts), and never for a real word.
 *
 * Everything here is one pass over the text: linear in its length.
 */

// Soft hyphen, zero-width and bidi control characters, word joiners, BOM, variation selectors.
const INVISIBLE =
  // eslint-disable-next-line no-misleading-character-class
  /[\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFE00-\uFE0F\uFEFF]/g;

// Cyrillic and Greek letters that look like Latin ones (after lower-casing).
const LOOKALIKES: Record<string, string> = {
  а: 'a', в: 'b', е: 'e', ё: 'e', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x',
  і: 'i', ї: 'i', ј: 'j', ѕ: 's', һ: 'h', ԁ: 'd', ԛ: 'q', ԝ: 'w', ɑ: 'a', ɡ: 'g', ı: 'i', α: 'a', β: 'b',
  ε: 'e', η: 'n', ι: 'i', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x', ϲ: 'c',
};
const LOOKALIKE_RE = new RegExp(`[${Object.keys(LOOKALIKES).join('')}]`, 'g');

// Digits and symbols used as letters inside words ("k1ll mys3lf", "$uicide", "d!e").
const LEET: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b', '@': 'a', $: 's', '!': 'i', '|': 'l' };

/**
 * Texting spellings that mix digits into words ("no1", "2nite"): read as the words they stand for. None
 * is a real word, so nothing real is changed.
 */
const TEXTING = new Map<string, string>(Object.entries({
  no1: 'no one',
  some1: 'someone',
  any1: 'anyone',
  every1: 'everyone',
  '2nite': 'tonight',
  '2night': 'tonight',
  '2day': 'today',
  '2moro': 'tomorrow',
  '2morrow': 'tomorrow',
  b4: 'before',
  '4ever': 'forever',
  l8r: 'later',
  gr8: 'great',
}));

/** Emoji read as words, in every language (the pill emoji outranks "suicide" in crisis text research). */
export const EMOJI_WORDS: Record<string, string> = {
  '💊': 'pills',
  '🔫': 'gun',
  '🔪': 'knife',
  '🪢': 'rope',
  '⚰️': 'coffin',
  '⚰': 'coffin',
  '🪦': 'grave',
  '🩸': 'blood',
};
const EMOJI_RE = new RegExp(Object.keys(EMOJI_WORDS).join('|'), 'gu');

export interface Clause {
  /** Normalised words. */
  words: string[];
}

export interface Sentence {
  clauses: Clause[];
  /** Asked rather than stated: a question mark, an opening "¿", or a question word first. */
  question: boolean;
}

/** Lower-case, accent-free, apostrophe-free form of one word, as lexicon terms are written. */
export function foldWord(word: string): string {
  return word
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['’`´]/g, '');
}

/** Words that join clauses: negation and subjects do not reach across them. */
const CLAUSE_JOINERS = new Set(['but', 'pero', 'though', 'although', 'aunque', 'sino', 'however', 'sin embargo']);

/**
 * A word with letters and digits or symbols mixed ("k1ll", "d!e", "$uicide") reads as letters; words
 * that start with a digit ("100mg", "2nd") or have no letter ("988") stay as they are.
 */
function unLeet(token: string): string {
  if (!/\p{L}/u.test(token) || !/[0-9@$!|]/.test(token) || /^\d/.test(token)) return token;
  const core = token.replace(/[!|]+$/, ''); // "die!!!": trailing punctuation, not letters
  return core.replace(/[0-9@$!|]/g, (c) => LEET[c] ?? c);
}

/**
 * "diiiie", "kiiiiill": a letter three times or more in a row, which only a few interjections ("brrr",
 * "zzz") have among English and Spanish words, and no word a rule uses (text.spec.ts checks both lists).
 */
export function stretched(word: string): boolean {
  return /(\p{L})\1\1/u.test(word);
}

/** The forms a stretched word may have meant: the runs shortened to two letters, and to one. */
export function unstretched(word: string): string[] {
  return [word.replace(/(\p{L})\1{2,}/gu, '$1$1'), word.replace(/(\p{L})\1{2,}/gu, '$1')];
}

/**
 * Words spelled out letter by letter: "k i l l myself", "k.i.l.l", "m e  q u i e r o" (a double space
 * separates spelled words). Only runs of three letters or more, so "y a" or "a e" in ordinary text stay.
 */
function joinSpelledOut(s: string): string {
  if (!/(?<![\p{L}\p{N}])\p{L}[ .\-_*·•]\p{L}[ .\-_*·•]\p{L}(?![\p{L}\p{N}])/u.test(s)) return s;
  return s
    .replace(/(?<![\p{L}\p{N}])\p{L}(?:[.\-_*·•]\p{L}(?![\p{L}\p{N}])){2,}[.]?/gu, (m) => m.replace(/[^\p{L}]/gu, ''))
    .replace(/(?<![\p{L}\p{N}])\p{L}(?: \p{L}(?![\p{L}\p{N}])){2,}/gu, (m) => m.replace(/ /g, ''));
}

/** A token's plain words ("K1LL" -> kill, "don't" -> dont), cached: visitors' words repeat. */
const plainCache = new Map<string, string[]>();
function plainWords(token: string): string[] {
  let words = plainCache.get(token);
  if (!words) {
    const folded = foldWord(unLeet(token.replace(/[!]+$/, (x) => (/[\p{L}]/u.test(token.slice(0, -x.length)) ? '' : x))));
    words = folded.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    if (plainCache.size >= 50_000) plainCache.clear();
    plainCache.set(token, words);
  }
  return words;
}

/**
 * Splits a text into sentences and clauses of normalised words. `resolve` reads one raw word and may
 * return other words for it (the lexicon's stretched-word and misspelling rules).
 */
export function readText(text: string, resolve: (word: string) => string[] = (w) => [w]): Sentence[] {
  let s = text
    .replace(INVISIBLE, '')
    .normalize('NFKC')
    .toLowerCase()
    .replace(LOOKALIKE_RE, (c) => LOOKALIKES[c])
    .replace(EMOJI_RE, (e) => ` ${EMOJI_WORDS[e]} `);
  s = joinSpelledOut(s);
  const sentences: Sentence[] = [];
  let clauses: Clause[] = [];
  let words: string[] = [];
  let question = false;
  let opened = false;
  const endClause = () => {
    if (words.length) clauses.push({ words });
    words = [];
  };
  const endSentence = (asked: boolean) => {
    endClause();
    if (clauses.length) sentences.push({ clauses, question: asked || opened || question });
    clauses = [];
    question = false;
    opened = false;
  };
  // Tokens: words (with inner apostrophes, digits and the symbols leet uses) and punctuation runs.
  const TOKEN = /[\p{L}\p{N}@$|'’`´]+(?:[!][\p{L}\p{N}]+)*!*|\.{2,}|…|[?¿!.;:,\n\r()\-–—/"“”]+/gu;
  for (const m of s.matchAll(TOKEN)) {
    const token = m[0];
    if (/^[\p{L}\p{N}@$|'’`´]/u.test(token)) {
      const texting = TEXTING.get(token); // a Map: "constructor" is a word, not a property
      if (texting) {
        words.push(...texting.split(' ').flatMap((w) => resolve(w)));
        continue;
      }
      for (const w of plainWords(token)) {
        const resolved = resolve(w);
        if (CLAUSE_JOINERS.has(resolved[0])) {
          endClause();
          continue;
        }
        words.push(...resolved);
      }
      continue;
    }
    // Punctuation: an ellipsis continues a thought; ? ends a question; ¿ opens one; . ! ; and new lines
    // end a sentence; commas, colons, dashes and brackets end a clause.
    if (/^(?:\.{2,}|…)$/.test(token)) continue;
    if (token.includes('¿')) {
      if (words.length || clauses.length) endSentence(false);
      opened = true;
    }
    if (token.includes('?')) endSentence(true);
    else if (/[.!;\n\r]/.test(token)) endSentence(false);
    else if (/[,:()\-–—/"“”]/.test(token)) endClause();
  }
  endSentence(false);
  return sentences;
}
