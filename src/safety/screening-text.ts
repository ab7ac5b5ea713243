/**
 * Normalisation for the safety screen. It is stricter than the matcher's because people write about
 * crisis in every possible way: hidden characters, look-alike letters, letter-digit swaps, spaced
 * letters, stretched words and shouting must all read the same as plain text.
 *
 * The result is a string of lower-case words separated by single spaces, padded with a space at both
 * ends, with "|" as a sentence boundary that patterns do not cross.
 */

// Soft hyphen, zero-width and bidi control characters, word joiners, BOM, variation selectors: each is
// listed on purpose, combining ones included.
const INVISIBLE =
  // eslint-disable-next-line no-misleading-character-class
  /[\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFE00-\uFE0F\uFEFF]/g;

// Cyrillic and Greek letters that look like Latin ones (after lower-casing).
const LOOKALIKES: Record<string, string> = {
  а: 'a',
  в: 'b',
  е: 'e',
  ё: 'e',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  і: 'i',
  ї: 'i',
  ј: 'j',
  ѕ: 's',
  һ: 'h',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  ɑ: 'a',
  ɡ: 'g',
  ı: 'i',
  α: 'a',
  β: 'b',
  ε: 'e',
  η: 'n',
  ι: 'i',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  ϲ: 'c',
};
const LOOKALIKE_RE = new RegExp(`[${Object.keys(LOOKALIKES).join('')}]`, 'g');

// Digits and symbols used as letters inside words ("k1ll mys3lf", "$uicide").
const LEET: Record<string, string> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '8': 'b',
  '@': 'a',
  $: 's',
  '!': 'i',
  '|': 'l',
};

function unLeet(token: string): string {
  // Only words that mix letters with digits or symbols; "988", "2019", "100mg" and "10x" stay as they are.
  if (!/\p{L}/u.test(token) || !/[0-9@$!|]/.test(token) || /^\d/.test(token)) return token;
  // Trailing punctuation ("die!!!") is punctuation, not a letter.
  const core = token.replace(/[!|]+$/, '');
  return core.replace(/[0-9@$!|]/g, (c) => LEET[c] ?? c) + token.slice(core.length);
}

/** Collapses runs of the same letter ("kiiiill", "kill" -> "kil"), applied alike to text and patterns. */
export function skeleton(word: string): string {
  return word.replace(/(\p{L})\1+/gu, '$1');
}

/** Lower-case, accent-free, apostrophe-free form of one word, as patterns are written. */
export function foldWord(word: string): string {
  return word
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['’`´]/g, '');
}

/** A sentence boundary; "|?" ends a question. Patterns never cross one. */
export const BOUNDARY = '|';
export const QUESTION_END = '|?';
/** Marks a sentence as a question wherever it stands ("¿", and frames such as "I read that"). */
export const QUESTION_MARK = '¿';

export function prepareForScreening(text: string, emoji: Record<string, string> = {}): string {
  let s = text
    .replace(INVISIBLE, '')
    .normalize('NFKC')
    .toLowerCase()
    .replace(LOOKALIKE_RE, (c) => LOOKALIKES[c]);
  for (const [symbol, word] of Object.entries(emoji)) s = s.split(symbol).join(` ${word} `);
  s = joinSpelledOut(s);
  s = s.split(/\s+/).map(unLeet).join(' ');
  s = s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/['’`´]/g, '')
    // An ellipsis continues a thought ("disappear... forever"); other sentence ends are boundaries.
    .replace(/(?:\.{2,}|…)/g, ' ')
    .replace(/[?]+[!?.]*/g, ` ${QUESTION_END} `)
    .replace(/¿/g, ` ${QUESTION_MARK} `)
    .replace(/[.!;\n\r]+/g, ` ${BOUNDARY} `)
    .replace(/[^\p{L}\p{N}|?¿]+/gu, ' ');
  const tokens = skeleton(s).split(' ').filter(Boolean);
  // No empty sentences: drop a boundary that follows another one.
  const compact = tokens.filter((t, i) => !t.startsWith(BOUNDARY) || (i > 0 && !tokens[i - 1].startsWith(BOUNDARY)));
  return ` ${compact.join(' ')} `;
}

/**
 * Words spelled out letter by letter: "k i l l myself", "k.i.l.l.i.n.g", "m e  q u i e r o" (a double
 * space separates the words).
 */
function joinSpelledOut(s: string): string {
  // Most messages have no two single letters in a row: one quick test spares the three passes below.
  if (!/(?<![\p{L}\p{N}])\p{L}[ .\-_*·•]\p{L}(?![\p{L}\p{N}])/u.test(s)) return s;
  return s
    .replace(/(?<![\p{L}\p{N}])\p{L}(?:[.\-_*·•]\p{L}(?![\p{L}\p{N}]))+[.]?/gu, (m) => m.replace(/[^\p{L}]/gu, ''))
    .replace(/(?<![\p{L}\p{N}])\p{L}(?: \p{L}(?![\p{L}\p{N}])){2,}/gu, (m) => m.replace(/ /g, ''))
    .replace(/(?<![\p{L}\p{N}])\p{L}(?: \p{L}(?![\p{L}\p{N}]))+(?= {2})/gu, (m) => m.replace(/ /g, ''));
}

/** The sentences of a screening text, each with whether it reads as a question. */
export function sentences(s: string, questionWords: Set<string>): Array<{ text: string; question: boolean }> {
  const out: Array<{ text: string; question: boolean }> = [];
  let words: string[] = [];
  const flush = (question: boolean) => {
    if (words.length) {
      const marked = words.includes(QUESTION_MARK);
      const text = ` ${words.filter((w) => w !== QUESTION_MARK).join(' ')} `;
      out.push({ text, question: question || marked || questionWords.has(words.find((w) => w !== QUESTION_MARK) ?? '') });
    }
    words = [];
  };
  for (const token of s.trim().split(' ')) {
    if (token.startsWith(BOUNDARY)) flush(token === QUESTION_END);
    else if (token) words.push(token);
  }
  flush(false);
  return out;
}
