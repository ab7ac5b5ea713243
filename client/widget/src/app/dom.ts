import { safeHref, type Action, type VElement, type VNode } from './view.js';

/**
 * Turns the view's virtual nodes into DOM. Text is always a text node; attributes go through
 * setAttribute and never include event handlers or `style`; the server's sanitised HTML is parsed in
 * an inert <template> and rebuilt element by element from an allow-list (defence in depth: the server
 * already sanitised it).
 */

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
/** Dropped with their content; any other unknown element is unwrapped (its text kept). */
const DROPPED_TAGS = new Set([
  'script',
  'style',
  'template',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'svg',
  'math',
  'noscript',
  'textarea',
  'select',
  'button',
  'input',
  'form',
  'link',
  'meta',
  'base',
  'img',
  'video',
  'audio',
  'source',
  'picture',
  'canvas',
  'title',
]);
const SERVER_CLASS = /^kap-[a-z-]{1,40}$/;

function forbiddenAttribute(name: string): boolean {
  return /^on/i.test(name) || /^style$/i.test(name) || /^(srcdoc|formaction|xlink:href|src)$/i.test(name);
}

export function toDom(node: VNode, actions: WeakMap<Element, Action>): Node {
  if (typeof node === 'string') return document.createTextNode(node);
  if ('html' in node) {
    const replacement = node.resources ? (toDom(node.resources, actions) as Element) : null;
    return sanitizeHtml(node.html, replacement);
  }
  return element(node, actions);
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** The widget's own elements; an `svg` (its icons) and everything in it in the SVG namespace. */
function element(node: VElement, actions: WeakMap<Element, Action>, svg = false): Element {
  const inSvg = svg || node.tag === 'svg';
  const el = inSvg ? document.createElementNS(SVG_NS, node.tag) : document.createElement(node.tag);
  for (const [name, value] of Object.entries(node.attrs)) if (!forbiddenAttribute(name)) el.setAttribute(name, value);
  if (node.action) actions.set(el, node.action);
  for (const child of node.children)
    el.appendChild(typeof child === 'object' && 'tag' in child ? element(child, actions, inSvg) : toDom(child, actions));
  return el;
}

/**
 * Rebuilds the server's HTML from the allow-list. `crisisResources`, when given, replaces the server's
 * `ul.kap-crisis-resources` (or is put after the first paragraph when there is none).
 */
export function sanitizeHtml(html: string, crisisResources: Element | null = null): DocumentFragment {
  const template = document.createElement('template');
  template.innerHTML = typeof html === 'string' ? html : '';
  const out = document.createDocumentFragment();
  let placed = false;
  const copy = (from: Node, to: Node) => {
    for (const child of Array.from(from.childNodes)) {
      if (child.nodeType === Node.TEXT_NODE) {
        to.appendChild(document.createTextNode(child.nodeValue ?? ''));
        continue;
      }
      if (child.nodeType !== Node.ELEMENT_NODE) continue;
      const source = child as Element;
      const tag = source.localName.toLowerCase();
      if (DROPPED_TAGS.has(tag)) continue;
      if (!ALLOWED_TAGS.has(tag) || source.namespaceURI !== 'http://www.w3.org/1999/xhtml') {
        copy(source, to);
        continue;
      }
      const classes = (source.getAttribute('class') ?? '').split(/\s+/).filter((c) => SERVER_CLASS.test(c));
      if (crisisResources && !placed && tag === 'ul' && classes.includes('kap-crisis-resources')) {
        to.appendChild(crisisResources);
        placed = true;
        continue;
      }
      const clean = document.createElement(tag);
      if (classes.length) clean.setAttribute('class', classes.join(' '));
      if (tag === 'a') {
        const href = safeHref(source.getAttribute('href'));
        if (href) {
          clean.setAttribute('href', href);
          if (/^https?:/.test(href)) {
            clean.setAttribute('target', '_blank');
            clean.setAttribute('rel', 'noopener noreferrer');
          }
        }
        const title = source.getAttribute('title');
        if (title) clean.setAttribute('title', title);
      }
      copy(source, clean);
      to.appendChild(clean);
    }
  };
  copy(template.content, out);
  if (crisisResources && !placed) {
    const first = out.firstElementChild;
    if (first) first.after(crisisResources);
    else out.appendChild(crisisResources);
  }
  return out;
}

/** The text a screen reader should hear for a message: its `data-speak` parts, in order. */
export function spokenText(el: Element): string {
  const parts = el.matches('[data-speak]') ? [el] : Array.from(el.querySelectorAll('[data-speak]'));
  return parts
    .map((p) => (p.textContent ?? '').replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .join(' ');
}
