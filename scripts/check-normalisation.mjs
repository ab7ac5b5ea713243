// Reads every word of an English and a Spanish word list the way the safety screen reads text, and
// prints, as JSON, each list's size and the words normalisation changed into a word a rule uses (there
// must be none). Run after `npm run build`; src/safety/text.spec.ts runs it in plain Node (fast).
import { createRequire } from 'node:module';
import { Lexicon, loadLexiconFiles, loadNearWords } from '../dist/safety/grammar.js';
import { foldWord } from '../dist/safety/text.js';

const require = createRequire(import.meta.url);
const dir = process.argv[2] ?? 'knowledge/safety';
const lexicon = new Lexicon(loadLexiconFiles(dir), loadNearWords(dir));
// Words that end a clause instead of being read as words.
const joiners = new Set(['but', 'though', 'although', 'however', 'pero', 'aunque', 'sino']);
const report = {};
for (const [language, list] of [['english', 'an-array-of-english-words'], ['spanish', 'an-array-of-spanish-words']]) {
  const dictionary = require(list);
  const changed = [];
  for (const word of dictionary) {
    const expected = foldWord(word).split(/[^\p{L}\p{N}]+/u).filter(Boolean).join(' ');
    const got = lexicon.read(word).flatMap((c) => c.words);
    if (got.join(' ') === expected || joiners.has(expected)) continue;
    // A change is tolerable only where no rule could see it (interjections such as "brrr" -> "br").
    if (got.some((w) => lexicon.usesWord(w))) changed.push(`${word} -> ${got.join(' ')}`);
  }
  report[language] = { words: dictionary.length, changed };
}
process.stdout.write(`${JSON.stringify(report)}\n`);
