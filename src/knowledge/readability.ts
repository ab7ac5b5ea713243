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
