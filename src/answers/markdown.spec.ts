import { Parser } from 'htmlparser2';
import { readLines } from '../../test/support/fixtures.js';
import { renderMarkdown, sanitizeAnswerHtml } from './markdown.js';

/** Every tag and attribute left in the HTML, so we can check that only allowed ones survive. */
function markup(html: string): { tags: Set<string>; attributes: Set<string>; hrefs: string[] } {
  const tags = new Set<string>();
  const attributes = new Set<string>();
  const hrefs: string[] = [];
  const parser = new Parser({
    onopentag(name, attribs) {
      tags.add(name);
      for (const [attr, value] of Object.entries(attribs)) {
        attributes.add(attr);
        if (attr === 'href') hrefs.push(value);
      }
    },
  });
  parser.write(html);
  parser.end();
  return { tags, attributes, hrefs };
}

const ALLOWED_TAGS = new Set([
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
]);
const ALLOWED_ATTRIBUTES = new Set(['href', 'title', 'rel', 'target']);

function expectSafe(html: string): void {
  const { tags, attributes, hrefs } = markup(html);
  expect([...tags].filter((t) => !ALLOWED_TAGS.has(t))).toEqual([]);
  expect([...attributes].filter((a) => !ALLOWED_ATTRIBUTES.has(a))).toEqual([]);
  expect(hrefs.filter((h) => !/^(https?:|mailto:|tel:)/i.test(h))).toEqual([]);
}

describe('renderMarkdown', () => {
  it('renders ordinary Markdown', () => {
    const html = renderMarkdown('**Bold** and *italic*\n\n- one\n- two\n\n[NIMH](https://www.nimh.nih.gov)');
    expect(html).toContain('<strong>Bold</strong>');
    expect(html).toContain('<li>one</li>');
    expect(html).toContain('<a href="https://www.nimh.nih.gov" target="_blank" rel="noopener noreferrer">NIMH</a>');
  });

  it('shows raw HTML in Markdown as text instead of passing it through', () => {
    const html = renderMarkdown('Hello <script>alert(1)</script> <b onclick="x()">there</b>');
    expect(html).not.toContain('<script');
    expect(html).toContain('&lt;script&gt;');
    expect(html).not.toMatch(/<b[\s>]/);
  });

  it.each([
    ['javascript: links', '[click](javascript:alert(1))'],
    ['data: links', '[click](data:text/html;base64,PHNjcmlwdD4=)'],
    ['images (third-party requests)', '![x](https://evil.example/pixel.png)'],
    ['autolinks with script', '<javascript:alert(1)>'],
    ['HTML blocks', '<iframe src="https://evil.example"></iframe>\n\n<style>body{display:none}</style>'],
    ['event handlers', '<a href="https://x.example" onmouseover="alert(1)">x</a>'],
  ])('neutralises %s', (_name, markdown) => {
    const html = renderMarkdown(markdown);
    expectSafe(html);
    expect(html).not.toMatch(/<(img|iframe|style|script)/i);
  });

  it('keeps only safe markup for every public XSS payload, as Markdown and as HTML', () => {
    const payloads = readLines('xss-payloads.txt');
    expect(payloads.length).toBeGreaterThan(6000);
    for (const payload of payloads) {
      expectSafe(renderMarkdown(payload));
      expectSafe(sanitizeAnswerHtml(payload));
    }
  });
});
