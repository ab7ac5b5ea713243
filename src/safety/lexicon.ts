import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { allowedEdits, editDistance } from '../matching/fuzzy.js';
import { compile, type Anchor } from './pattern.js';
import { lexiconSchema, type CrisisKind, type LexiconFile } from './lexicon.schema.js';
import { BOUNDARY, foldWord, prepareForScreening, skeleton } from './screening-text.js';

export interface CompiledRule {
  /** Words the text must contain for this rule to have a chance. */
  anchors: Anchor[];
  /** "<locale>:<section>:<id>", shown to staff as the reason for a decision. */
  ref: string;
  re: RegExp;
  /** The same pattern with the global flag, for masking every occurrence. */
  all: RegExp;
  kind?: CrisisKind;
  disclosureTopic: boolean;
  example: string;
  notExamples: string[];
}

/** A section's rules. */
export type RuleSet = CompiledRule[];

type Section =
  | 'benign'
  | 'negations'
  | 'crisis'
  | 'imminent'
  | 'concern'
  | 'topics'
  | 'selfReference'
  | 'frames'
  | 'makesItPersonal'
  | 'thirdPersonReference'
  | 'firstPersonSubjects'
  | 'thirdPersonSubjects'
  | 'genericSubjects'
  | 'retractions';
const SECTIONS: Section[] = [
  'benign',
  'negations',
  'crisis',
  'imminent',
  'concern',
  'topics',
  'selfReference',
  'frames',
  'makesItPersonal',
  'thirdPersonReference',
  'firstPersonSubjects',
  'thirdPersonSubjects',
  'genericSubjects',
  'retractions',
];

/**
 * All languages' lexicons merged: every message is screened against every language, because visitors
 * do not always write in the language their page is set to.
 */
export class Lexicon {
  readonly rules: Record<Section, RuleSet>;
  /** Substitutions of one word, looked up per word; those of several words, by pattern. */
  private readonly wordSubstitutions = new Map<string, string>();
  private readonly substitutions: Array<{ re: RegExp; to: string }>;
  private readonly keywords: Set<string>;
  private readonly emoji: Record<string, string> = {};
  readonly questionWords = new Set<string>();

  constructor(files: LexiconFile[]) {
    this.rules = Object.fromEntries(SECTIONS.map((s) => [s, [] as CompiledRule[]])) as Record<Section, RuleSet>;
    this.substitutions = [];
    this.keywords = new Set();
    for (const file of files) {
      Object.assign(this.emoji, file.emoji);
      for (const w of file.questionWords) this.questionWords.add(skeleton(foldWord(w)));
      for (const sub of file.substitutions) {
        const from = prepareForScreening(sub.from).trim();
        const to = prepareForScreening(sub.to).trim();
        if (!from.includes(' ')) this.wordSubstitutions.set(from, to);
        else this.substitutions.push({ re: new RegExp(` ${escapeRegExp(from)} `, 'g'), to: ` ${to} ` });
      }
      for (const k of file.keywords) this.keywords.add(skeleton(foldWord(k)));
      for (const section of SECTIONS) {
        for (const r of file[section]) {
          const ref = `${file.locale}:${section}:${r.id}`;
          let compiled: ReturnType<typeof compile>;
          try {
            compiled = compile(r.match, { acrossSentences: r.acrossSentences });
          } catch (err) {
            throw new Error(`${ref}: ${(err as Error).message}`, { cause: err });
          }
          const { re, anchors } = compiled;
          this.rules[section].push({
            ref,
            re,
            anchors,
            all: new RegExp(re.source, 'g'),
            kind: 'kind' in r ? r.kind : undefined,
            disclosureTopic: 'disclosureTopic' in r ? r.disclosureTopic : false,
            example: r.example,
            notExamples: r.notExamples,
          });
        }
      }
    }
  }

  /** Screening text with slang rewritten and near-misspelled keywords corrected. */
  prepare(text: string): string {
    let s = prepareForScreening(text, this.emoji).replace(/[^ |]+/g, (w) => this.wordSubstitutions.get(w) ?? w);
    // Repeat so that overlapping substitutions ("kms kms") all apply.
    for (const { re, to } of this.substitutions) s = s.replace(re, to).replace(re, to);
    return s.replace(/[^ |]+/g, (w) => this.correct(w));
  }

  private readonly corrections = new Map<string, string>();

  private correct(word: string): string {
    let known = this.corrections.get(word);
    if (known === undefined) {
      // Bounded: visitors' vocabulary is large but repetitive.
      if (this.corrections.size > 20_000) this.corrections.clear();
      known = this.correctUncached(word);
      this.corrections.set(word, known);
    }
    return known;
  }

  private correctUncached(word: string): string {
    const max = Math.min(allowedEdits(word.length), word.length >= 9 ? 2 : 1);
    if (word.length < 6 || this.keywords.has(word) || !/^\p{L}+$/u.test(word)) return word;
    for (const k of this.keywords) {
      // "overdosed", "suicidar" and "matarse" are other forms of a keyword, not misspellings of it.
      if (commonPrefix(word, k) >= Math.min(word.length, k.length) - 2) continue;
      if (editDistance(word, k, max) <= max) return k;
    }
    return word;
  }

  /** Screening text with benign idioms and negated disclosures set aside, as the risk rules see it. */
  withoutBenign(prepared: string): string {
    return maskRules(maskRules(prepared, this.rules.benign), this.rules.negations);
  }

  /**
   * Checks every rule against its own examples, as the screen would see them (risk rules after benign
   * idioms and negations are set aside, so a benign rule that swallows a real disclosure fails here too).
   * Returns the failures: an empty list when all hold.
   */
  selfCheck(): string[] {
    const failures: string[] = [];
    for (const section of SECTIONS) {
      const view = (text: string) =>
        section === 'benign' || section === 'negations' ? this.prepare(text) : this.withoutBenign(this.prepare(text));
      for (const rule of this.rules[section]) {
        if (!rule.re.test(view(rule.example))) failures.push(`${rule.ref}: does not match its example "${rule.example}"`);
        for (const bad of rule.notExamples) {
          if (rule.re.test(view(bad))) failures.push(`${rule.ref}: matches "${bad}", listed under notExamples`);
        }
      }
    }
    return failures;
  }
}

/** The rules whose anchor words occur in the text: the only ones that can match it. */
export function candidates(s: string, rules: RuleSet): CompiledRule[] {
  const { tokens, list } = tokensOf(s);
  const present = (a: Anchor) => a.words.some((w) => tokens.has(w)) || a.prefixes.some((p) => list.some((t) => t.startsWith(p)));
  return rules.filter((r) => r.anchors.every(present));
}

let lastText = '';
let lastTokens = { tokens: new Set<string>(), list: [] as string[] };
function tokensOf(s: string): { tokens: Set<string>; list: string[] } {
  // The screen asks about the same text many times in a row.
  if (s !== lastText) {
    lastText = s;
    const tokens = new Set(s.split(' '));
    lastTokens = { tokens, list: [...tokens] };
  }
  return lastTokens;
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/** Replaces every match of the rules by a sentence boundary, so later rules neither see nor span it. */
export function maskRules(s: string, rules: RuleSet, replacement = BOUNDARY): string {
  for (const rule of candidates(s, rules)) {
    // Matches share their surrounding spaces, so one pass can miss a neighbour: repeat until none is left.
    for (let prev = ''; prev !== s;) {
      prev = s;
      s = s.replace(rule.all, ` ${replacement} `);
    }
  }
  return s;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

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
