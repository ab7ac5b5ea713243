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

/**
 * Parses HTML into an inert fragment (a <template>'s content: nothing in it runs or loads). The staff
 * console passes its own parser, which goes through its Trusted Types policy.
 */
export type HtmlParser = (html: string) => DocumentFragment;

export const parseInert: HtmlParser = (html) => {
  const template = document.createElement('template');
  template.innerHTML = html;
  return template.content;
};

export function toDom(node: VNode, actions: WeakMap<Element, Action>, parse: HtmlParser = parseInert): Node {
  if (typeof node === 'string') return document.createTextNode(node);
  if ('html' in node) {
    const replacement = node.resources ? (toDom(node.resources, actions, parse) as Element) : null;
    return sanitizeHtml(node.html, replacement, node.more ? { ...node.more, actions } : null, parse);
  }
  return element(node, actions, false, parse);
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** The widget's own elements; an `svg` (its icons) and everything in it in the SVG namespace. */
function element(node: VElement, actions: WeakMap<Element, Action>, svg: boolean, parse: HtmlParser): Element {
  const inSvg = svg || node.tag === 'svg';
  const el = inSvg ? document.createElementNS(SVG_NS, node.tag) : document.createElement(node.tag);
  for (const [name, value] of Object.entries(node.attrs)) if (!forbiddenAttribute(name)) el.setAttribute(name, value);
  if (node.action) actions.set(el, node.action);
  for (const child of node.children)
    el.appendChild(
      typeof child === 'object' && 'tag' in child ? element(child, actions, inSvg, parse) : toDom(child, actions, parse),
    );
  return el;
}

/**
 * Rebuilds the server's HTML from the allow-list. `crisisResources`, when given, replaces the server's
 * `ul.kap-crisis-resources` (or is put after the first paragraph when there is none).
 */
export interface MoreOptions {
  id: string;
  expandLabel: string;
  collapseLabel: string;
  actions: WeakMap<Element, Action>;
}

/**
 * The answer's full text (`div.kap-more`, after its short answer) as a disclosure: a real button with
 * aria-expanded and aria-controls, keyboard-operable like any button, and the region it shows, hidden
 * until then.
 */
function disclosure(more: MoreOptions): { button: HTMLElement; region: HTMLElement } {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'kw-more';
  button.setAttribute('aria-expanded', 'false');
  button.setAttribute('aria-controls', more.id);
  button.textContent = more.expandLabel;
  more.actions.set(button, { type: 'more', expandLabel: more.expandLabel, collapseLabel: more.collapseLabel });
  const region = document.createElement('div');
  region.id = more.id;
  region.className = 'kap-more';
  region.hidden = true;
  return { button, region };
}

/** Shows or hides the region a "Read more" button controls; the button says what it will do next. */
export function toggleMore(button: Element, action: Extract<Action, { type: 'more' }>): void {
  const root = button.getRootNode() as Document | ShadowRoot;
  const region = typeof root.getElementById === 'function' ? root.getElementById(button.getAttribute('aria-controls') ?? '') : null;
  if (!region) return;
  const expand = button.getAttribute('aria-expanded') !== 'true';
  button.setAttribute('aria-expanded', String(expand));
  button.textContent = expand ? action.collapseLabel : action.expandLabel;
  region.hidden = !expand;
}

export function sanitizeHtml(
  html: string,
  crisisResources: Element | null = null,
  more: MoreOptions | null = null,
  parse: HtmlParser = parseInert,
): DocumentFragment {
  const parsed = parse(typeof html === 'string' ? html : '');
  const out = document.createDocumentFragment();
  let placed = false;
  let moreDone = false;
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
      const classes = (source.getAttribute('class') ?? '').split(/\s+/).filter((c) => SERVER_CLASS.test(c));
      const html = source.namespaceURI === 'http://www.w3.org/1999/xhtml';
      if (html && tag === 'div' && classes.includes('kap-more') && more && !moreDone) {
        const { button, region } = disclosure(more);
        copy(source, region);
        to.appendChild(button);
        to.appendChild(region);
        moreDone = true;
        continue;
      }
      if (!ALLOWED_TAGS.has(tag) || !html) {
        copy(source, to);
        continue;
      }
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
  copy(parsed, out);
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
    .map((p) => visibleText(p).replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .join(' ');
}

/** Text of an element without its hidden parts (an answer's full text behind "Read more") or buttons. */
function visibleText(node: Node): string {
  if (node.nodeType === Node.TEXT_NODE) return node.nodeValue ?? '';
  if (node.nodeType !== Node.ELEMENT_NODE) return '';
  const el = node as Element;
  if ((el as HTMLElement).hidden || el.localName === 'button') return '';
  return Array.from(el.childNodes, visibleText).join(' ');
}
