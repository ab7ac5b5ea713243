import type { LanguagePack } from './languages.js';
import { normalizeWords } from './normalize.js';

/** A part this short ("ok", "so") is not a question of its own: it stays with its neighbour. */
const MIN_WORDS = 2;

/**
 * The questions of one message, in order, for "what does it cost, and how many visits?": split at
 * sentence ends (? ! . ; and before ¿) and where a joining word ("and", "also", "y", "también") is
 * followed by a word that starts a question ("how", "does", "cuánto", "puedo"). Sentences that neither
 * ask (? or ¿) nor start like a question are left out. Each part comes back as normalised words joined
 * by spaces. A message with one question gives at most one part.
 */
export function splitQuestions(text: string, language: LanguagePack): string[] {
  const sentences = text
    .split(/(?<=[?!;])|(?<=\.)\s+|(?=¿)/)
    .map((s) => ({ words: normalizeWords(s, language.locale), asks: /[?¿]/.test(s) }))
    .filter((s) => s.words.length > 0);
  const parts: string[][] = [];
  for (const { words, asks } of sentences) {
    // A statement ("I've tried four antidepressants.") is context, not a question of its own.
    if (!asks && !language.questionStarters.has(words[0]) && !words.some((w, i) => language.joiners.has(w) && language.questionStarters.has(words[i + 1] ?? ''))) continue;
    let current: string[] = [];
    for (let i = 0; i < words.length; i++) {
      const w = words[i];
      const next = words[i + 1];
      if (language.joiners.has(w) && next !== undefined && language.questionStarters.has(next) && current.length >= MIN_WORDS) {
        parts.push(current);
        current = [];
        continue;
      }
      current.push(w);
    }
    if (current.length) parts.push(current);
  }
  // Fragments too short to be a question join the part before them (or after, for the first).
  const merged: string[][] = [];
  for (const part of parts) {
    if (part.length < MIN_WORDS && merged.length) merged[merged.length - 1].push(...part);
    else merged.push(part);
  }
  if (merged.length > 1 && merged[0].length < MIN_WORDS) merged.splice(0, 2, [...merged[0], ...merged[1]]);
  return merged.map((words) => words.join(' '));
}

/** A cheap first look: could this message hold more than one question? (Most hold one.) */
export function mayAskSeveral(text: string, words: string[], language: LanguagePack): boolean {
  if (/[?!;.]\s*[\p{L}¿]|\S\s*¿/u.test(text)) return true;
  for (let i = 0; i + 1 < words.length; i++) if (language.joiners.has(words[i]) && language.questionStarters.has(words[i + 1])) return true;
  return false;
}
