import { fleschKincaid } from 'flesch-kincaid';
import { syllable } from 'syllable';

/** Markdown to plain sentences: list items and headings count as sentences of their own. */
export function markdownToPlainText(markdown: string): string {
  return markdown
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1') // links keep their text
    .replace(/[*_`>#]/g, '')
    .split(/\n\s*\n|\n\s*(?:[-+]|\d+\.)\s+/) // paragraphs and list items
    .map((block) => block.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .map((block) => (/[.!?:]$/.test(block) ? block : `${block}.`))
    .join(' ');
}

/** The Flesch-Kincaid U.S. school grade of a Markdown answer. */
export function readingGrade(markdown: string): number {
  const text = markdownToPlainText(markdown);
  const words = text.match(/[\p{L}\p{N}'’-]+/gu) ?? [];
  const sentences = text.split(/[.!?:]+(?:\s|$)/).filter((s) => /\p{L}/u.test(s)).length;
  if (words.length === 0) return 0;
  const syllables = words.reduce((sum, w) => sum + syllable(w), 0);
  return fleschKincaid({ sentence: Math.max(1, sentences), word: words.length, syllable: syllables });
}

/** Word count of a Markdown answer, for the 80-250 word guideline. */
export function wordCount(markdown: string): number {
  return (markdownToPlainText(markdown).match(/[\p{L}\p{N}'’-]+/gu) ?? []).length;
}

/**
 * Syllables of a Spanish word: one per vowel nucleus. A weak vowel (i, u, ü, y at the end) next to
 * another vowel forms a diphthong (one syllable) unless it carries the accent (hiatus: "dí-a"); two strong
 * vowels (a, e, o) are two syllables ("le-o").
 */
export function spanishSyllables(word: string): number {
  const w = word.toLowerCase().replace(/y$/, 'i');
  const strong = 'aeoáéó';
  const weak = 'iuü';
  const accentedWeak = 'íú';
  let count = 0;
  let prev: 'strong' | 'weak' | null = null;
  for (const c of w) {
    const kind = strong.includes(c) || accentedWeak.includes(c) ? 'strong' : weak.includes(c) ? 'weak' : null;
    if (kind === null) {
      prev = null;
      continue;
    }
    // A new nucleus unless this vowel joins the previous one in a diphthong (weak with anything).
    if (prev === null || (prev === 'strong' && kind === 'strong')) count++;
    prev = kind;
  }
  return Math.max(1, count);
}

/**
 * Szigriszt-Pazos perspicuity, read on the INFLESZ scale (Barrio-Cantalejo et al., 2008): 55-65 is
 * "bastante fácil" (about a secondary-school reading level), above 65 easy, below 40 very hard.
 */
export function inflesz(markdown: string): number {
  const text = markdownToPlainText(markdown);
  const words = text.match(/[\p{L}\p{N}'’-]+/gu) ?? [];
  const sentences = text.split(/[.!?:¿¡]+(?:\s|$)/).filter((x) => /\p{L}/u.test(x)).length;
  if (words.length === 0) return 100;
  const syllables = words.reduce((sum, w) => sum + spanishSyllables(w), 0);
  return 206.835 - (62.3 * syllables) / words.length - words.length / Math.max(1, sentences);
}
