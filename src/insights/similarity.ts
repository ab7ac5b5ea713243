import { stemmer } from 'stemmer';
import { phrasingKey } from '../knowledge/corpus-loader.js';

/** Words that say nothing about what was asked (English and Spanish). */
const FILLER = new Set(
  `a an the and or but if of to in on at by for with from as is am are was were be been do does did can could
  will would should i me my we our you your it its they them this that there what how why when where who which
  im its dont please just really so about any some get have has had ok okay hi hello
  el la los las un una unos unas y o de del a al en con por para es son que como cuando donde quien mi me yo
  tu su se lo le les no si hay esta este esto`
    .split(/\s+/)
    .filter(Boolean),
);

/** The words of a question that carry its meaning, stemmed: "Is ketamine covered?" -> {ketamin, cover}. */
export function meaningTokens(text: string): Set<string> {
  return new Set(
    // Redaction marks ([phone], [email]) say nothing about the question.
    phrasingKey(text.replace(/\[(?:phone|email)\]/g, ' '))
      .split(' ')
      .filter((w) => w.length > 1 && !FILLER.has(w))
      .map((w) => stemmer(w)),
  );
}

/** Dice similarity of two word sets (1: the same words). */
export function similarity(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  for (const t of a) if (b.has(t)) shared++;
  return (2 * shared) / (a.size + b.size);
}

/** Questions at least this similar are counted as the same question asked again. */
export const SAME_QUESTION = 0.6;

/**
 * Groups questions that ask the same thing in other words, largest group first. Greedy and in order:
 * a question joins the first group whose first question it resembles enough, else starts a new one.
 */
export function groupSimilar<T extends { text: string }>(items: T[], threshold = SAME_QUESTION): T[][] {
  const groups: Array<{ tokens: Set<string>; key: string; items: T[] }> = [];
  for (const item of items) {
    const tokens = meaningTokens(item.text);
    const key = phrasingKey(item.text);
    const group = groups.find((g) =>
      tokens.size === 0 || g.tokens.size === 0 ? g.key === key : similarity(g.tokens, tokens) >= threshold,
    );
    if (group) group.items.push(item);
    else groups.push({ tokens, key, items: [item] });
  }
  return groups.map((g) => g.items).sort((a, b) => b.length - a.length);
}
