import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

/** Escapes text for safe inclusion in HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

// Raw HTML written in Markdown is shown as text, never passed through: staff write Markdown, not HTML.
const marked = new Marked({
  gfm: true,
  async: false,
  renderer: {
    html({ text }) {
      return escapeHtml(text);
    },
  },
});

/**
 * The allow-list for answer HTML. No images (they would make the visitor's browser call third parties),
 * no script, style, iframe, forms or event handlers; links only to http(s), mailto and tel.
 */
const sanitizeOptions: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'br',
    'strong',
    'em',
    'b',
    'i',
    'ul',
    'ol',
    'li',
    'a',
    'blockquote',
    'code',
    'pre',
    'h3',
    'h4',
    'h5',
    'hr',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
  ],
  allowedAttributes: { a: ['href', 'title', 'rel', 'target'] },
  allowedSchemes: ['https', 'http', 'mailto', 'tel'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'escape',
  transformTags: {
    a: (tagName, attribs) => {
      const href = attribs.href ?? '';
      const external = /^https?:/i.test(href);
      // Only absolute links: a relative one would point into whatever site embeds the widget.
      const out: Record<string, string> = /^(https?:|mailto:|tel:)/i.test(href) ? { href } : {};
      if (attribs.title) out.title = attribs.title;
      // External links open in a new tab without giving the target page access to ours.
      if (external) Object.assign(out, { target: '_blank', rel: 'noopener noreferrer' });
      return { tagName, attribs: out };
    },
  },
};

/** Sanitises HTML with the answer allow-list. */
export function sanitizeAnswerHtml(html: string): string {
  return sanitizeHtml(html, sanitizeOptions);
}

/** Renders staff-written Markdown to sanitised HTML. */
export function renderMarkdown(markdown: string): string {
  return sanitizeAnswerHtml(marked.parse(markdown) as string).trim();
}
