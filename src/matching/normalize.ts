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

export function normalizeWords(text: string): string[] {
  let s = text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc\u0060\u00b4]/g, "'");
  for (const [re, to] of CONTRACTIONS) s = s.replace(re, to);
  return s
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .filter(Boolean)
    .flatMap((w) => BARE_CONTRACTIONS.get(w)?.split(' ') ?? [w]);
}
