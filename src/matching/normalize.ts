import type { Locale } from '../knowledge/entry.schema.js';

/**
 * Text normalisation shared by the matcher and the corpus checks: case, accents, apostrophes and
 * English contractions, punctuation. Returns plain lower-case words.
 */
const CONTRACTIONS: Array<[RegExp, string]> = [
  [/\bcan't\b/g, 'can not'],
  [/\bwon't\b/g, 'will not'],
  [/\bain't\b/g, 'is not'],
  [/n't\b/g, ' not'],
  [/\bi'm\b/g, 'i am'],
  [/'re\b/g, ' are'],
  [/'ve\b/g, ' have'],
  [/'ll\b/g, ' will'],
  [/'d\b/g, ' would'],
  [/'s\b/g, ''],
];

// The same contractions typed without an apostrophe ("whats", "doesnt").
const BARE_CONTRACTIONS = new Map(
  Object.entries({
    whats: 'what is',
    hows: 'how is',
    whos: 'who is',
    wheres: 'where is',
    whens: 'when is',
    whys: 'why is',
    thats: 'that is',
    theres: 'there is',
    im: 'i am',
    ive: 'i have',
    youre: 'you are',
    theyre: 'they are',
    isnt: 'is not',
    arent: 'are not',
    wasnt: 'was not',
    werent: 'were not',
    dont: 'do not',
    doesnt: 'does not',
    didnt: 'did not',
    cant: 'can not',
    cannot: 'can not',
    wont: 'will not',
    wouldnt: 'would not',
    shouldnt: 'should not',
    couldnt: 'could not',
    havent: 'have not',
    hasnt: 'has not',
    hadnt: 'had not',
  }),
);

/** Lower case, accents and other marks removed ("¿Qué?" -> "¿que?"), typographic apostrophes made plain. */
export function foldText(text: string): string {
  // Plain ASCII (most questions) needs no Unicode decomposition.
  // eslint-disable-next-line no-control-regex
  const folded = /[^\u0000-\u007f]/.test(text) ? text.normalize('NFKD').replace(/\p{M}/gu, '') : text;
  return folded.toLowerCase().replace(/[\u2018\u2019\u02bc\u0060\u00b4]/g, "'");
}

/**
 * The words of a text: folded (see foldText), split on anything that is not a letter or digit. English
 * contractions are expanded ("can't" -> "can not", "whats" -> "what is"); other languages have none here.
 */
export function normalizeWords(text: string, locale: Locale = 'en'): string[] {
  let s = foldText(text);
  if (locale === 'en' && s.includes("'")) for (const [re, to] of CONTRACTIONS) s = s.replace(re, to);
  const words = s
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
  return locale === 'en' ? words.flatMap((w) => BARE_CONTRACTIONS.get(w)?.split(' ') ?? [w]) : words;
}
