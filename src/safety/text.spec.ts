import { execFileSync } from 'node:child_process';
import { resolveFromRoot } from '../paths.js';
import { Lexicon, loadLexiconFiles, loadNearWords } from './grammar.js';
import { readText } from './text.js';

const dir = resolveFromRoot('knowledge/safety');
const lexicon = new Lexicon(loadLexiconFiles(dir), loadNearWords(dir));
const words = (text: string) => lexicon.read(text).flatMap((c) => c.words);

describe('normalisation never turns one real word into another', () => {
  // Over 900,000 words: run in plain Node on the built code (global set-up builds dist/), ten times
  // faster than inside Jest's module sandbox.
  it('over every word of an English (275,000) and a Spanish (636,000) word list', () => {
    const out = execFileSync(process.execPath, [resolveFromRoot('scripts/check-normalisation.mjs'), dir], { cwd: resolveFromRoot('.'), encoding: 'utf8' });
    const report = JSON.parse(out) as Record<string, { words: number; changed: string[] }>;
    expect(report.english.words).toBeGreaterThan(200_000);
    expect(report.spanish.words).toBeGreaterThan(500_000);
    expect(report.english.changed).toEqual([]);
    expect(report.spanish.changed).toEqual([]);
  });
});

describe('normalisation, in a tested order', () => {
  it.each([
    ['how do I take care of myself after a session', 'how do i take care of myself after a session'],
    ['I want to unalive myself', 'i want to unalive myself'],
    ['k1ll mys3lf', 'kill myself'],
    ['$uicide', 'suicide'],
    ['I want to diiiie', 'i want to die'],
    ['k i l l  m y s e l f', 'kill myself'],
    ['k.i.l.l myself', 'kill myself'],
    ['sui\u200bcidal', 'suicidal'],
    ['k\u0456ll myself', 'kill myself'],
    ['no1 would care 2nite', 'no one would care tonight'],
    ["I'm DONE!!!", 'im done'],
    ['¿Cuánto cuesta?', 'cuanto cuesta'],
    ['💊 tonight', 'pills tonight'],
    ['I took 100mg', 'i took 100mg'],
    ['call 988', 'call 988'],
  ])('reads %j as %j', (text, expected) => {
    expect(words(text).join(' ')).toBe(expected);
  });

  it('reads words that are also names of object properties as words', () => {
    expect(() => words('constructor toString __proto__ hasOwnProperty valueOf')).not.toThrow();
    expect(words('constructor toString')).toEqual(['constructor', 'tostring']);
  });

  it('splits sentences and clauses, and marks questions', () => {
    const sentences = readText("I'm not suicidal, but I'm tired. ¿Es seguro? ok");
    expect(sentences.map((s) => s.clauses.map((c) => c.words.join(' ')))).toEqual([['im not suicidal', 'im tired'], ['es seguro'], ['ok']]);
    expect(sentences.map((s) => s.question)).toEqual([false, true, false]);
  });

  it('reads a long text in time linear in its length', () => {
    const unit = 'k i l l  m y s e l f diiiie k1ll, but $uicide... ';
    // The fastest of five runs, so a pause of the runtime does not count.
    const time = (n: number) => {
      const text = unit.repeat(n);
      let best = Infinity;
      for (let i = 0; i < 5; i++) {
        const start = process.hrtime.bigint();
        lexicon.read(text);
        best = Math.min(best, Number(process.hrtime.bigint() - start));
      }
      return best;
    };
    time(20);
    time(320);
    // Sixteen times the text may cost about sixteen times the time; 80x leaves room for noise, not for n².
    expect(time(320) / time(20)).toBeLessThan(80);
  });
});
