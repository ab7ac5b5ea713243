import sanitizeHtml from 'sanitize-html';

/** Block ends and line breaks: where the plain text keeps a line break. */
const BLOCK_END = /<\/(?:p|li|h[1-6]|ul|ol|div|blockquote|pre|tr|table)>|<br\s*\/?>/gi;

/**
 * A reply's HTML as plain text for staff transcripts (shown as text, never as HTML): tags removed,
 * paragraphs and list items on their own lines, and characters as written ("&", not "&amp;":
 * sanitize-html returns HTML, so the few entities it writes are turned back into characters).
 */
export function transcriptText(html: string): string {
  // Line breaks in the HTML source are only spaces; block ends become the line breaks.
  const blocks = html.replace(/\s+/g, ' ').replace(BLOCK_END, '$&\n');
  const escaped = sanitizeHtml(blocks, { allowedTags: [], allowedAttributes: {} });
  return escaped
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/[^\S\n]+/g, ' ')
    .replace(/ *\n\s*/g, '\n')
    .trim();
}
