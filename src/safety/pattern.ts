import { foldWord } from './text.js';

/**
 * The pattern language of the safety lexicons, written for clinicians to read:
 *
 *   want to DIE          words in order; CONCEPTS (capitals) stand for any term of that concept
 *   {want|wish|hope} to  one of the alternatives (each a sequence, concepts allowed)
 *   [really] want        optional
 *   suicid~              any word starting with "suicid"
 *   DESIRE * DIE         up to 3 other words in between; *6 allows up to 6
 *   # pills              a number ("30 pills"); #10 a number of at least 10
 *   DIE $                the clause ends here
 *
 * A pattern is compiled into a small automaton and run over a clause's words in one pass: the time is
 * linear in the length of the text, whatever the pattern (no backtracking).
 */

export type Atom =
  | { type: 'word'; word: string }
  | { type: 'prefix'; prefix: string }
  | { type: 'concept'; name: string }
  | { type: 'number'; min: number }
  | { type: 'any' };

type Node =
  | { type: 'atom'; atom: Atom }
  | { type: 'seq'; items: Node[] }
  | { type: 'alt'; options: Node[] }
  | { type: 'opt'; item: Node }
  | { type: 'gap'; max: number }
  | { type: 'end' };

/** One state of the automaton: match `atom` (or the clause end) and go on to `next`, or just go on. */
export interface State {
  atom?: Atom;
  end?: boolean;
  next: number[];
}

export interface CompiledPattern {
  states: State[];
  start: number;
  accept: number;
  /**
   * For each state, the states that consume a word (or check a clause end, or accept) reachable from it
   * without consuming one: precomputed, so a run never walks the automaton's empty moves.
   */
  closure: number[][];
  /** The start's word-consuming states by what they need, so a run only looks at the ones that can fire. */
  firsts: { words: Map<string, number[]>; concepts: Map<string, number[]>; other: number[] };
  /** The start's clause-end checks (a pattern that begins with `$`). */
  startEnds: number[];
  /** Words or concepts the clause must contain for the pattern to have a chance (a quick filter). */
  required: Array<{ words: string[]; prefixes: string[]; concepts: string[] }>;
  /** A stronger filter: a clause can match only if it contains every word and concept of one of these. */
  ways: string[][];
  /**
   * The weakest filter, for patterns too varied to list `ways`: every match contains at least one of these
   * words or concepts, or a word starting with one of the prefixes. Null when nothing is certain.
   */
  anyOf: AnyOf | null;
  /** Concept names used, checked against the lexicon when it loads. */
  concepts: string[];
}

export interface AnyOf {
  tokens: string[];
  prefixes: string[];
}

export function compilePattern(source: string): CompiledPattern {
  const node = parse(source);
  const states: State[] = [];
  const add = (s: State) => states.push(s) - 1;
  // Thompson's construction: each fragment has a start and dangling outs to patch.
  type Frag = { start: number; outs: Array<(target: number) => void> };
  const build = (n: Node): Frag => {
    switch (n.type) {
      case 'atom': {
        const s = add({ atom: n.atom, next: [] });
        return { start: s, outs: [(t) => states[s].next.push(t)] };
      }
      case 'end': {
        const s = add({ end: true, next: [] });
        return { start: s, outs: [(t) => states[s].next.push(t)] };
      }
      case 'seq': {
        if (n.items.length === 0) {
          const s = add({ next: [] });
          return { start: s, outs: [(t) => states[s].next.push(t)] };
        }
        const frags = n.items.map(build);
        for (let i = 0; i < frags.length - 1; i++) for (const out of frags[i].outs) out(frags[i + 1].start);
        return { start: frags[0].start, outs: frags[frags.length - 1].outs };
      }
      case 'alt': {
        const s = add({ next: [] });
        const frags = n.options.map(build);
        states[s].next.push(...frags.map((f) => f.start));
        return { start: s, outs: frags.flatMap((f) => f.outs) };
      }
      case 'opt': {
        const s = add({ next: [] });
        const frag = build(n.item);
        states[s].next.push(frag.start);
        return { start: s, outs: [...frag.outs, (t) => states[s].next.push(t)] };
      }
      case 'gap': {
        // Up to `max` words of anything: a chain of optional "any word" steps.
        let frag: Frag | null = null;
        for (let i = 0; i < n.max; i++) {
          const one = build({ type: 'opt', item: { type: 'atom', atom: { type: 'any' } } });
          if (frag) for (const out of frag.outs) out(one.start);
          frag = frag ? { start: frag.start, outs: one.outs } : one;
        }
        return frag ?? build({ type: 'seq', items: [] });
      }
    }
  };
  const frag = build(node);
  const accept = add({ next: [] });
  for (const out of frag.outs) out(accept);
  const closure = states.map((_, i) => closureOf(states, i, accept));
  const firsts = { words: new Map<string, number[]>(), concepts: new Map<string, number[]>(), other: [] as number[] };
  for (const s of closure[frag.start]) {
    const atom = states[s].atom;
    const key = atom?.type === 'word' ? firsts.words : atom?.type === 'concept' ? firsts.concepts : null;
    const name = atom?.type === 'word' ? atom.word : atom?.type === 'concept' ? atom.name : '';
    if (key) key.set(name, [...(key.get(name) ?? []), s]);
    else if (s !== accept && !states[s].end) firsts.other.push(s);
  }
  return { states, start: frag.start, accept, closure, firsts, startEnds: closure[frag.start].filter((x) => states[x].end === true), required: requiredOf(node), ways: waysOf(node), anyOf: anyOfNode(node), concepts: conceptsOf(node) };
}

/** The states reachable from `from` through empty moves that consume a word, check a clause end, or accept. */
function closureOf(states: State[], from: number, accept: number): number[] {
  const out: number[] = [];
  const seen = new Set<number>();
  const stack = [from];
  while (stack.length) {
    const s = stack.pop() as number;
    if (seen.has(s)) continue;
    seen.add(s);
    if (s === accept || states[s].atom || states[s].end) out.push(s);
    else stack.push(...states[s].next);
  }
  return out.sort((a, b) => a - b);
}

/** What a pattern runs over: a clause's words, the concepts starting at each word, and clause starts. */
export interface PatternInput {
  words: string[];
  tags: Array<Array<{ concept: string; end: number }>>;
  clauseStarts: number[];
  /** ends[i] = 1 where a clause starts at word i (so one ends before it), and at the end: computed when not given. */
  ends?: Uint8Array;
  /** 1 + the most words a concept phrase spans (at least 2): computed when not given. */
  span?: number;
}

/** 1 + the most words a tagged concept phrase spans, at least 2: how far ahead a pattern's threads wait. */
export function spanOf(tags: PatternInput['tags']): number {
  let span = 2;
  for (let i = 0; i < tags.length; i++) for (const t of tags[i]) if (t.end - i + 1 > span) span = t.end - i + 1;
  return span;
}

/** Where the clauses of a sentence end, as a lookup by position (one pass). */
export function clauseEnds(words: number, clauseStarts: number[]): Uint8Array {
  const ends = new Uint8Array(words + 1);
  for (const c of clauseStarts) ends[c] = 1;
  ends[words] = 1;
  return ends;
}

function atomMatches(atom: Atom, word: string): boolean {
  switch (atom.type) {
    case 'word':
      return word === atom.word;
    case 'prefix':
      return word.startsWith(atom.prefix);
    case 'number':
      return /^\d+$/.test(word) && Number(word) >= atom.min;
    case 'any':
      return true;
    case 'concept':
      return false;
  }
}

/**
 * Runs the automaton over the words once, threads starting at every word (a search, not an anchored
 * match). A thread is a state waiting at a position; each (state, position) is kept once, with the latest
 * start reaching it, so the work is linear in the number of words. Returns the matches that do not
 * overlap, leftmost first, each with the latest start among the threads reaching its end.
 */
export function matchPattern(p: CompiledPattern, input: PatternInput): Array<{ start: number; end: number }> {
  const { words, tags } = input;
  const n = words.length;
  const S = p.states.length;
  const ends = input.ends ?? clauseEnds(n, input.clauseStarts);
  // Threads wait at most as far ahead as the longest concept phrase: a ring of that many positions.
  const span = input.span ?? spanOf(tags);
  const { seen, startOf, waiting, base } = scratchFor(span, S, n + 1);
  const acceptedAt = new Map<number, number>();
  // A thread: state `s` waiting at `pos`, kept once per (state, position) with the latest start.
  const wait = (s: number, pos: number, start: number) => {
    const slot = pos % span;
    const key = slot * S + s;
    if (seen[key] !== base + pos) {
      seen[key] = base + pos;
      startOf[key] = start;
      waiting[slot].push(s);
    } else if (start > startOf[key]) startOf[key] = start;
  };
  // Puts the states of `closure` in wait at `pos`: a clause-end check passes on at once where it holds.
  const enter = (states: number[], pos: number, start: number) => {
    for (const s of states) {
      if (s === p.accept) {
        if (pos > start) acceptedAt.set(pos, Math.max(acceptedAt.get(pos) ?? -1, start));
      } else if (p.states[s].end) {
        if (ends[pos] === 1) for (const nx of p.states[s].next) enter(p.closure[nx], pos, start);
      } else wait(s, pos, start);
    }
  };
  for (let pos = 0; pos < n; pos++) {
    // Threads that start here: only the start's states that can fire on this word.
    for (const s of p.firsts.words.get(words[pos]) ?? NO_STATES) wait(s, pos, pos);
    for (const s of p.firsts.other) wait(s, pos, pos);
    for (const t of tags[pos]) for (const s of p.firsts.concepts.get(t.concept) ?? NO_STATES) wait(s, pos, pos);
    if (p.startEnds.length) enter(p.startEnds, pos, pos);
    const slot = pos % span;
    for (const s of waiting[slot]) {
      const start = startOf[slot * S + s];
      const atom = p.states[s].atom as Atom;
      if (atom.type === 'concept') {
        for (const t of tags[pos]) if (t.concept === atom.name) for (const nx of p.states[s].next) enter(p.closure[nx], t.end, start);
      } else if (atomMatches(atom, words[pos])) {
        for (const nx of p.states[s].next) enter(p.closure[nx], pos + 1, start);
      }
    }
    waiting[slot].length = 0;
  }
  const matches: Array<{ start: number; end: number }> = [];
  for (const end of [...acceptedAt.keys()].sort((a, b) => a - b)) {
    const start = acceptedAt.get(end) as number;
    const last = matches.at(-1);
    if (!last || start >= last.end) matches.push({ start, end });
  }
  return matches;
}

const NO_STATES: number[] = [];

/**
 * Working memory for `matchPattern`, reused by every run (the screen runs hundreds of patterns per
 * message), so a run allocates almost nothing and its memory does not grow with the text: a ring of
 * `span` positions by the pattern's states. A slot belongs to a position while it holds that position's
 * number (offset by `base`, which moves past every run's positions, so nothing needs clearing).
 */
const scratch = { seen: new Uint32Array(4096), startOf: new Int32Array(4096), waiting: [] as number[][], base: 1, next: 1 };
function scratchFor(span: number, states: number, positions: number): { seen: Uint32Array; startOf: Int32Array; waiting: number[][]; base: number } {
  const slots = span * states;
  if (scratch.seen.length < slots) {
    scratch.seen = new Uint32Array(Math.max(slots, scratch.seen.length * 2));
    scratch.startOf = new Int32Array(scratch.seen.length);
  }
  if (scratch.next + positions >= 0xffffffff) {
    scratch.seen.fill(0);
    scratch.next = 1;
  }
  scratch.base = scratch.next;
  scratch.next += positions;
  while (scratch.waiting.length < span) scratch.waiting.push([]);
  for (let i = 0; i < span; i++) scratch.waiting[i].length = 0;
  return scratch;
}

function conceptsOf(n: Node): string[] {
  switch (n.type) {
    case 'atom':
      return n.atom.type === 'concept' ? [n.atom.name] : [];
    case 'seq':
      return n.items.flatMap(conceptsOf);
    case 'alt':
      return n.options.flatMap(conceptsOf);
    case 'opt':
      return conceptsOf(n.item);
    default:
      return [];
  }
}

/** The parts every match must contain: top-level atoms and alternatives of single atoms. */
/**
 * The ways a match can be made, as sets of words and concepts it must contain ("{want to die|wish i was
 * dead}": [want, to, DIE] or [wish, i, was, dead]), at most MAX_WAYS of them; [[]] when nothing is certain.
 */
const MAX_WAYS = 24;
function waysOf(n: Node): string[][] {
  switch (n.type) {
    case 'atom':
      return [n.atom.type === 'word' ? [n.atom.word] : n.atom.type === 'concept' ? [n.atom.name] : []];
    case 'alt': {
      const ways = n.options.flatMap(waysOf);
      return ways.some((w) => w.length === 0) || ways.length > MAX_WAYS ? [[]] : ways;
    }
    case 'seq': {
      // Parts with the fewest ways first (usually the most telling), as many as the limit allows.
      const parts = n.items.map(waysOf).filter((w) => !(w.length === 1 && w[0].length === 0));
      let ways: string[][] = [[]];
      for (const next of parts.sort((a, b) => a.length - b.length)) {
        if (ways.length * next.length > MAX_WAYS) continue; // too many to list: leave this part out
        ways = ways.flatMap((a) => next.map((b) => [...a, ...b]));
      }
      return ways;
    }
    default:
      return [[]];
  }
}

/** A set of which every match contains one (see `CompiledPattern.anyOf`): for a sequence, its smallest part's. */
function anyOfNode(n: Node): AnyOf | null {
  switch (n.type) {
    case 'atom':
      if (n.atom.type === 'word') return { tokens: [n.atom.word], prefixes: [] };
      if (n.atom.type === 'concept') return { tokens: [n.atom.name], prefixes: [] };
      if (n.atom.type === 'prefix') return { tokens: [], prefixes: [n.atom.prefix] };
      return null;
    case 'alt': {
      const parts = n.options.map(anyOfNode);
      if (parts.some((x) => x === null)) return null;
      const sets = parts as AnyOf[];
      return { tokens: [...new Set(sets.flatMap((x) => x.tokens))], prefixes: [...new Set(sets.flatMap((x) => x.prefixes))] };
    }
    case 'seq': {
      const size = (x: AnyOf) => x.tokens.length + x.prefixes.length * 4;
      const parts = n.items.map(anyOfNode).filter((x): x is AnyOf => x !== null);
      return parts.length ? parts.reduce((best, x) => (size(x) < size(best) ? x : best)) : null;
    }
    default:
      return null;
  }
}

function requiredOf(n: Node): CompiledPattern['required'] {
  const items = n.type === 'seq' ? n.items : [n];
  const out: CompiledPattern['required'] = [];
  for (const item of items) {
    const options = item.type === 'alt' ? item.options : [item];
    const firsts = options.map((o) => (o.type === 'seq' ? o.items[0] : o));
    if (!firsts.every((f) => f?.type === 'atom' && f.atom.type !== 'any' && f.atom.type !== 'number')) continue;
    const req = { words: [] as string[], prefixes: [] as string[], concepts: [] as string[] };
    for (const f of firsts as Array<{ type: 'atom'; atom: Atom }>) {
      if (f.atom.type === 'word') req.words.push(f.atom.word);
      else if (f.atom.type === 'prefix') req.prefixes.push(f.atom.prefix);
      else if (f.atom.type === 'concept') req.concepts.push(f.atom.name);
    }
    out.push(req);
  }
  return out;
}

const CONCEPT = /^[A-Z][A-Z0-9_]*$/;

function parse(source: string): Node {
  const tokens = source.match(/\{|\}|\[|\]|\||\*\d*|#\d*|[^\s{}[\]|]+/g) ?? [];
  let i = 0;
  const parseSeq = (closers: string[]): Node => {
    const items: Node[] = [];
    while (i < tokens.length && !closers.includes(tokens[i])) items.push(parseItem());
    return { type: 'seq', items };
  };
  const parseGroup = (close: string): Node[] => {
    const options: Node[] = [];
    for (;;) {
      const seq = parseSeq(['|', close]);
      if ((seq as { items: Node[] }).items.length === 0) throw new Error(`empty alternative in "${source}"`);
      options.push(seq);
      const t = tokens[i++];
      if (t === close) return options;
      if (t !== '|') throw new Error(`missing "${close}" in "${source}"`);
    }
  };
  const parseItem = (): Node => {
    const t = tokens[i++];
    if (t === '{') return { type: 'alt', options: parseGroup('}') };
    if (t === '[') {
      const options = parseGroup(']');
      return { type: 'opt', item: options.length === 1 ? options[0] : { type: 'alt', options } };
    }
    if (t.startsWith('*')) return { type: 'gap', max: t.length > 1 ? Number(t.slice(1)) : 3 };
    if (t === '$') return { type: 'end' };
    if (/^#\d*$/.test(t)) return { type: 'atom', atom: { type: 'number', min: t.length > 1 ? Number(t.slice(1)) : 0 } };
    if (CONCEPT.test(t)) return { type: 'atom', atom: { type: 'concept', name: t } };
    if (t.endsWith('~')) return { type: 'atom', atom: { type: 'prefix', prefix: foldWord(t.slice(0, -1)) } };
    if (!/^[\p{L}\p{N}']+$/u.test(t)) throw new Error(`cannot read "${t}" in "${source}"`);
    return { type: 'atom', atom: { type: 'word', word: foldWord(t) } };
  };
  const node = parseSeq([]);
  if (i < tokens.length) throw new Error(`unexpected "${tokens[i]}" in "${source}"`);
  const hasRequired = (n: Node): boolean =>
    n.type === 'atom' ? n.atom.type !== 'any' : n.type === 'seq' ? n.items.some(hasRequired) : n.type === 'alt' ? n.options.every(hasRequired) : false;
  if (!hasRequired(node)) throw new Error(`a pattern needs at least one required word: "${source}"`);
  return node;
}
