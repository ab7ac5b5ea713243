import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { allowedEdits, editDistance } from '../matching/fuzzy.js';
import { CATEGORIES, lexiconSchema, type Category, type LexiconFile } from './lexicon.schema.js';
import { clauseEnds, compilePattern, matchPattern, spanOf, type CompiledPattern } from './pattern.js';
import { foldWord, readText, stretched, unstretched, type Sentence } from './text.js';

/**
 * A sentence's words with the concepts found at each position (a concept phrase may span words), and
 * where its clauses start: rules match across a sentence, negations and subjects are read in a clause.
 */
export interface TaggedClause {
  words: string[];
  /** Positions where a clause starts (0 first); a clause ends where the next starts. */
  clauseStarts: number[];
  /** tags[i]: the concepts whose phrases start at word i, with the position after their last word. */
  tags: Array<Array<{ concept: string; end: number }>>;
  /** ends[i] = 1 where a clause starts at word i, and at the end (patterns' `$`, phrases kept in a clause). */
  ends: Uint8Array;
  /** How far ahead a pattern's threads may wait (see pattern.ts). */
  span: number;
  /** Every word and concept in the clause, for the rules' quick filter. */
  present: Set<string>;
  question: boolean;
  sentence: number;
}

export interface Rule {
  /** "<locale>:<category>:<id>", shown to staff as the reason for a decision. */
  ref: string;
  category: Category;
  subject?: 'self' | 'other' | 'generic';
  imminent: boolean | undefined;
  topicInQuestion: boolean;
  pattern: CompiledPattern;
  /** The rule's own words include a negation ("no one would miss me", "I don't want to live"). */
  ownsNegation: boolean;
  examples: string[];
  notExamples: string[];
  /** Position in the lexicons (findings are listed in this order). */
  order: number;
}

export interface Finding {
  rule: Rule;
  clause: TaggedClause;
  start: number;
  end: number;
}

interface Phrase {
  concept: string;
  atoms: Array<{ word?: string; prefix?: string }>;
}

/**
 * The safety lexicons of every language, merged (visitors do not always write in their page's
 * language, so every message is read with all of them): concepts, the rules over them, and the reading
 * of raw words (stretched words and misspellings resolved to the lexicon's own words, never a real word
 * to another real word).
 */
export class Lexicon {
  readonly rules: Rule[] = [];
  /**
   * Rules by a word or concept every match must contain (their first required part), so a clause is
   * only tried against rules that can match it; `unindexed` holds the rest (prefix or no requirement).
   */
  private readonly rulesByToken = new Map<string, Rule[]>();
  private readonly unindexed: Rule[] = [];
  private marks = new Uint32Array(0);
  private stamp = 0;
  readonly questionWords = new Set<string>();
  private readonly byFirstWord = new Map<string, Phrase[]>();
  private readonly byPrefix: Phrase[] = [];
  /** Every word the lexicon uses (for stretched words). */
  private readonly vocabulary = new Set<string>();
  private readonly keywords: string[] = [];
  private readonly concepts = new Set<string>();
  private readonly cache = new Map<string, string[]>();

  /**
   * @param nearWords real words (English and Spanish) within a misspelling's reach of a keyword: they are
   *   never corrected ("homeless" is not a misspelling of "hopeless").
   */
  constructor(
    files: LexiconFile[],
    private readonly nearWords: ReadonlySet<string> = new Set(),
  ) {
    for (const file of files) {
      for (const w of file.questionWords) this.questionWords.add(foldWord(w));
      for (const k of file.keywords) this.keywords.push(foldWord(k));
      for (const [concept, phrases] of Object.entries(file.concepts)) {
        this.concepts.add(concept);
        for (const p of phrases) this.addPhrase(concept, p);
      }
    }
    for (const file of files) {
      for (const r of file.rules) {
        const ref = `${file.locale}:${r.category}:${r.id}`;
        let pattern: CompiledPattern;
        try {
          pattern = compilePattern(r.pattern);
        } catch (err) {
          throw new Error(`${ref}: ${(err as Error).message}`, { cause: err });
        }
        const unknown = pattern.concepts.filter((c) => !this.concepts.has(c));
        if (unknown.length) throw new Error(`${ref}: unknown concept(s) ${unknown.join(', ')}`);
        for (const s of pattern.states) if (s.atom?.type === 'word') this.vocabulary.add(s.atom.word);
        const negationWords = new Set((files.flatMap((f) => f.concepts.NEG ?? []) as string[]).map((w) => foldWord(String(w))));
        this.rules.push({
          ref,
          category: r.category,
          subject: r.subject,
          imminent: r.imminent,
          topicInQuestion: r.topicInQuestion,
          pattern,
          ownsNegation:
            pattern.concepts.includes('NEG') || pattern.states.some((st) => st.atom?.type === 'word' && negationWords.has(st.atom.word)),
          examples: r.examples,
          notExamples: r.notExamples,
          order: this.rules.length,
        });
        this.index(this.rules[this.rules.length - 1]);
      }
    }
    this.marks = new Uint32Array(this.rules.length);
  }

  /** Adds a concept's phrase; `{a|b}` groups in it are expanded ("{my|our} {son|daughter}": four phrases). */
  private addPhrase(concept: string, text: string): void {
    const group = /\{([^{}]*)\}/.exec(text);
    if (group) {
      for (const option of group[1].split('|')) this.addPhrase(concept, `${text.slice(0, group.index)}${option}${text.slice(group.index + group[0].length)}`);
      return;
    }
    const atoms = text
      .trim()
      .split(/\s+/)
      .map((w) => (w.endsWith('~') ? { prefix: foldWord(w.slice(0, -1)) } : { word: foldWord(w) }));
    for (const a of atoms) if (a.word) this.vocabulary.add(a.word);
    const phrase = { concept, atoms };
    if (atoms[0].word) {
      const list = this.byFirstWord.get(atoms[0].word) ?? [];
      list.push(phrase);
      this.byFirstWord.set(atoms[0].word, list);
    } else {
      this.byPrefix.push(phrase);
    }
  }

  /** The text in sentences of tagged clauses. */
  read(text: string): TaggedClause[] {
    const sentences: Sentence[] = readText(text, (w) => this.resolve(w));
    return sentences.map((s, i) => {
      const [first = '', second = ''] = s.clauses[0]?.words ?? [];
      // A question mark, or a question word or two-word phrase first ("se puede", "is it").
      const question = s.question || this.questionWords.has(first) || this.questionWords.has(`${first} ${second}`);
      const clauseStarts: number[] = [];
      const words: string[] = [];
      for (const c of s.clauses) {
        clauseStarts.push(words.length);
        words.push(...c.words);
      }
      return this.tag(words, clauseStarts, question, i);
    });
  }

  /**
   * One raw word as the lexicon reads it. A stretched word ("diiiie") becomes the lexicon word it
   * stretches; a misspelled keyword ("sucide") the keyword; anything else stays what it is. Cached:
   * visitors' words repeat.
   */
  /** Whether a rule or concept uses this (normalised) word. */
  usesWord(word: string): boolean {
    return this.vocabulary.has(word);
  }

  resolve(word: string): string[] {
    const known = this.cache.get(word);
    if (known) return known;
    const resolved = this.resolveUncached(word);
    if (this.cache.size > 50_000) this.cache.clear();
    this.cache.set(word, resolved);
    return resolved;
  }

  private resolveUncached(word: string): string[] {
    if (this.vocabulary.has(word)) return [word];
    if (stretched(word)) {
      const hit = unstretched(word).find((w) => this.vocabulary.has(w));
      return [hit ?? unstretched(word)[1]];
    }
    if (word.length >= 6 && /^\p{L}+$/u.test(word) && !this.nearWords.has(word)) {
      const max = Math.min(allowedEdits(word.length), word.length >= 9 ? 2 : 1);
      for (const k of this.keywords) if (Math.abs(k.length - word.length) <= max && editDistance(word, k, max) <= max) return [k];
    }
    return [word];
  }

  private tag(words: string[], clauseStarts: number[], question: boolean, sentence: number): TaggedClause {
    const tags: TaggedClause['tags'] = words.map(() => []);
    const present = new Set<string>(words);
    const ends = clauseEnds(words.length, clauseStarts);
    let clauseEnd = 0;
    for (let i = 0; i < words.length; i++) {
      if (i >= clauseEnd) for (clauseEnd = i + 1; ends[clauseEnd] !== 1; ) clauseEnd++;
      const tryPhrase = (p: Phrase) => {
        // A phrase stays within its clause.
        if (p.atoms.length > clauseEnd - i) return;
        for (let k = 0; k < p.atoms.length; k++) {
          const a = p.atoms[k];
          const w = words[i + k];
          if (a.word !== undefined ? w !== a.word : !w.startsWith(a.prefix as string)) return;
        }
        tags[i].push({ concept: p.concept, end: i + p.atoms.length });
        present.add(p.concept);
      };
      for (const p of this.byFirstWord.get(words[i]) ?? NO_PHRASES) tryPhrase(p);
      for (const p of this.byPrefix) tryPhrase(p);
    }
    return { words, clauseStarts, ends, span: spanOf(tags), tags, present, question, sentence };
  }

  /** Every match of every rule (of the given categories) in the sentences; a rule's matches do not overlap. */
  find(clauses: TaggedClause[], categories?: ReadonlySet<Category>): Finding[] {
    const findings: Finding[] = [];
    const marks = this.marks;
    for (const clause of clauses) {
      // The rules this sentence can reach, each once, tried in the lexicons' order.
      const stamp = ++this.stamp;
      const reach: number[] = [];
      const mark = (rule: Rule) => {
        if (marks[rule.order] !== stamp) {
          marks[rule.order] = stamp;
          reach.push(rule.order);
        }
      };
      for (const rule of this.unindexed) mark(rule);
      for (const token of clause.present) for (const rule of this.rulesByToken.get(token) ?? NONE) mark(rule);
      reach.sort((a, b) => a - b);
      for (const i of reach) {
        const rule = this.rules[i];
        if (categories && !categories.has(rule.category)) continue;
        if (!mayMatch(rule.pattern, clause)) continue;
        for (const m of run(rule.pattern, clause)) findings.push({ rule, clause, ...m });
      }
    }
    return findings;
  }

  /** Files the rule under its rarest required part ("DIE" rather than "me"): fewer clauses reach it. */
  private index(rule: Rule): void {
    const groups = rule.pattern.required.filter((r) => r.prefixes.length === 0);
    if (groups.length === 0) {
      // Too varied for a required part: filed under each of the words or concepts one of which it needs.
      const anyOf = rule.pattern.anyOf;
      if (anyOf && anyOf.prefixes.length === 0) groups.push({ words: anyOf.tokens, prefixes: [], concepts: [] });
      else return void this.unindexed.push(rule);
    }
    const cost = (g: (typeof groups)[number]) =>
      [...g.words, ...g.concepts].reduce((sum, t) => sum + (COMMON.has(t) ? 100 : 1) * (g.concepts.includes(t) ? 5 : 1), 0);
    const rarest = groups.reduce((best, g) => (cost(g) < cost(best) ? g : best));
    for (const token of [...rarest.words, ...rarest.concepts]) this.rulesByToken.set(token, [...(this.rulesByToken.get(token) ?? []), rule]);
  }

  /**
   * Checks every rule against its own examples and notExamples, as the screen reads them. Returns the
   * failures: an empty list when all hold.
   */
  selfCheck(): string[] {
    const failures: string[] = [];
    const benignRules = this.rules.filter((r) => r.category === 'benign');
    for (const rule of this.rules) {
      // As the screen sees it: a risk rule's match inside a benign idiom does not count.
      const hits = (text: string) =>
        this.read(text).some((c) => {
          const matches = mayMatch(rule.pattern, c) ? run(rule.pattern, c) : [];
          if (rule.category === 'benign') return matches.length > 0;
          const benign = benignRules.flatMap((b) => (mayMatch(b.pattern, c) ? run(b.pattern, c) : []));
          return matches.some((m) => !benign.some((bm) => bm.start < m.end && m.start < bm.end));
        });
      for (const e of rule.examples) if (!hits(e)) failures.push(`${rule.ref}: does not match its example "${e}"`);
      for (const e of rule.notExamples) if (hits(e)) failures.push(`${rule.ref}: matches "${e}", listed under notExamples`);
    }
    return failures;
  }
}

const run = matchPattern;

/** Where the clause holding word i starts (binary search: sentences may have thousands of clauses). */
export function clauseStartOf(c: TaggedClause, i: number): number {
  const starts = c.clauseStarts;
  let lo = 0;
  let hi = starts.length - 1;
  let found = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid] <= i) {
      found = starts[mid];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** Where the clause holding word i ends (the next clause's start, or the sentence's end). */
export function clauseEndOf(c: TaggedClause, i: number): number {
  const starts = c.clauseStarts;
  let lo = 0;
  let hi = starts.length - 1;
  let found = c.words.length;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid] > i) {
      found = starts[mid];
      hi = mid - 1;
    } else lo = mid + 1;
  }
  return found;
}

const NONE: Rule[] = [];
const NO_PHRASES: Phrase[] = [];

/** Words and concepts found in most clauses: a poor key for the rule index. */
const COMMON = new Set(
  (
    'i me my im ive a an the to and of in is it its you your no not dont do so just all this that for be have on with at if how what ' +
    'ya la el se que de lo los las en y mi yo un una si por para con es le les me te nos su sus mas pero como cuando ' +
    'SELF OTHER GENERIC NEG DESIRE THINK PERSIST INTEND NOW WHEN_NOW QUANT'
  ).split(' '),
);

function mayMatch(p: CompiledPattern, clause: TaggedClause): boolean {
  if (!p.ways.some((way) => way.every((t) => clause.present.has(t)))) return false;
  const any = p.anyOf;
  if (any && !any.tokens.some((t) => clause.present.has(t)) && !clause.words.some((w) => any.prefixes.some((x) => w.startsWith(x)))) return false;
  return p.required.every(
    (r) =>
      r.words.some((w) => clause.present.has(w)) ||
      r.concepts.some((c) => clause.present.has(c)) ||
      (r.prefixes.length > 0 && clause.words.some((w) => r.prefixes.some((p) => w.startsWith(p)))),
  );
}


/**
 * Runs the automaton over the sentence once, threads starting at every word (a search, not an anchored
 * match). Each state is visited at most once per position: linear in the sentence's length. Returns the
 * matches that do not overlap, leftmost first, each with the latest start among the threads reaching it.
 */
/** Reads every `<locale>.yaml` in the safety folder. Throws naming the file and field on any problem. */
export function loadLexiconFiles(dir: string): LexiconFile[] {
  const names = readdirSync(dir)
    .filter((n) => /^[a-z]{2}\.ya?ml$/.test(n))
    .sort();
  if (names.length === 0) throw new Error(`no safety lexicon (<locale>.yaml) in ${dir}`);
  return names.map((name) => {
    let data: unknown;
    try {
      data = YAML.parse(readFileSync(path.join(dir, name), 'utf8'));
    } catch (err) {
      throw new Error(`Invalid safety lexicon ${name}: ${(err as Error).message}`, { cause: err });
    }
    const result = lexiconSchema.safeParse(data);
    if (!result.success) {
      const lines = result.error.issues.map((i) => `  ${name} (${i.path.join('.')}): ${i.message}`);
      throw new Error(`Invalid safety lexicon:\n${lines.join('\n')}`);
    }
    return result.data;
  });
}

/** The real words never corrected as misspellings (knowledge/safety/near-words.txt; see its header). */
export function loadNearWords(dir: string): Set<string> {
  const file = path.join(dir, 'near-words.txt');
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return new Set();
  }
  return new Set(
    text
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#')),
  );
}

export { CATEGORIES };
