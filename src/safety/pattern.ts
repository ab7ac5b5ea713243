import { foldWord, skeleton } from './screening-text.js';

/**
 * A small pattern language for the lexicon files, so clinicians can read and review every phrase:
 *
 *   kill myself              the words, in this order
 *   {want|wanna} to die      one of the alternatives (each may be several words)
 *   [really] want to die     optional words (also [a|b])
 *   suicid~                  any word starting with "suicid"
 *   took * pills             up to 3 other words in between; *6 allows up to 6
 *   took # pills             any number ("took 30 pills"); also inside {...}
 *   picked a date $          the sentence ends here; also inside {...}
 *
 * Patterns match whole words of the screening text (see screening-text.ts). Their gaps stay within a
 * sentence, unless the rule sets `acrossSentences: true` ("your heart stops?? how much for 60kg").
 */
export function compilePattern(source: string, options: { acrossSentences?: boolean } = {}): RegExp {
  return compile(source, options).re;
}

/**
 * One required part of a pattern: the text must contain one of these words (or a word beginning with
 * one of the prefixes, for `~`) for the pattern to match. A pattern's anchors are all its required
 * parts: a cheap test that lets the screen skip most patterns for most messages.
 */
export interface Anchor {
  words: string[];
  prefixes: string[];
}

export function compile(source: string, options: { acrossSentences?: boolean } = {}): { re: RegExp; anchors: Anchor[] } {
  const parts = tokenizePattern(source);
  // A pattern must need at least one word, or it would match everywhere.
  if (!parts.some((p) => p.type === 'word' || (p.type === 'group' && !p.optional))) {
    throw new Error('a pattern needs at least one required word');
  }
  const re = new RegExp(` ${parts.map((p) => compilePart(p, options.acrossSentences ?? false)).join('')}`);
  return { re, anchors: anchorsOf(parts) };
}

function anchorsOf(parts: Part[]): Anchor[] {
  const anchors: Anchor[] = [];
  for (const part of parts) {
    const alternatives =
      part.type === 'word' ? [[part.text]] : part.type === 'group' && !part.optional ? part.alternatives : null;
    if (!alternatives) continue;
    const firsts = alternatives.map((alt) => alt[0]);
    if (firsts.some((w) => w === '#' || w === '$')) continue;
    const anchor: Anchor = { words: [], prefixes: [] };
    for (const w of firsts) {
      const folded = skeleton(foldWord(w.endsWith('~') ? w.slice(0, -1) : w));
      (w.endsWith('~') ? anchor.prefixes : anchor.words).push(folded);
    }
    anchors.push(anchor);
  }
  return anchors;
}

type Part =
  | { type: 'word'; text: string }
  | { type: 'gap'; max: number }
  | { type: 'number' }
  | { type: 'end' }
  | { type: 'group'; alternatives: string[][]; optional: boolean };

function tokenizePattern(source: string): Part[] {
  const parts: Part[] = [];
  const re = /\{([^{}]*)\}|\[([^[\]]*)\]|\*(\d*)|(#)(?=\s|$)|(\$)(?=\s|$)|([^\s{}[\]*]+)/g;
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = re.exec(source))) {
    if (source.slice(consumed, m.index).trim()) throw new Error(`cannot read "${source.slice(consumed, m.index)}"`);
    consumed = m.index + m[0].length;
    if (m[1] !== undefined || m[2] !== undefined) {
      const body = m[1] ?? m[2];
      const alternatives = body.split('|').map((alt) => alt.trim().split(/\s+/).filter(Boolean));
      if (alternatives.some((a) => a.length === 0)) throw new Error(`empty alternative in "${m[0]}"`);
      parts.push({ type: 'group', alternatives, optional: m[2] !== undefined });
    } else if (m[3] !== undefined) {
      parts.push({ type: 'gap', max: m[3] ? Number(m[3]) : 3 });
    } else if (m[4]) {
      parts.push({ type: 'number' });
    } else if (m[5]) {
      parts.push({ type: 'end' });
    } else {
      parts.push({ type: 'word', text: m[6] });
    }
  }
  if (source.slice(consumed).trim()) throw new Error(`cannot read "${source.slice(consumed)}"`);
  return parts;
}

const NUMBER = '\\d+ ';
// Before a sentence boundary ("|", "|?") or the end of the text.
const SENTENCE_END = '(?=\\||$)';

function compileWord(word: string): string {
  if (word === '#') return NUMBER;
  if (word === '$') return SENTENCE_END;
  const prefix = word.endsWith('~');
  const folded = skeleton(foldWord(prefix ? word.slice(0, -1) : word));
  if (!/^[\p{L}\p{N}]+$/u.test(folded)) throw new Error(`"${word}" must be letters or digits (optionally ending in ~)`);
  return `${folded}${prefix ? '[^ |]*' : ''} `;
}

function compilePart(part: Part, acrossSentences: boolean): string {
  switch (part.type) {
    case 'word':
      return compileWord(part.text);
    case 'gap':
      // A gap may span sentence boundaries only in rules that say so (each boundary counts as a word).
      return acrossSentences ? `(?:[^ ]+ ){0,${part.max}}` : `(?:[^ |]+ ){0,${part.max}}`;
    case 'number':
      return NUMBER;
    case 'end':
      return SENTENCE_END;
    case 'group': {
      const alternatives = part.alternatives.map((alt) => alt.map(compileWord).join(''));
      return `(?:${alternatives.join('|')})${part.optional ? '?' : ''}`;
    }
  }
}
