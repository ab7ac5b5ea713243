import type { ClinicConfig, Reply, Resource, Source, Suggestion, Turn } from '../shared/protocol.js';
import { UI_STRINGS, type UiStrings } from '../shared/strings.js';

/**
 * What the widget shows, as plain data (a small virtual DOM), built by pure functions so it can be
 * unit-tested without a browser. `dom.ts` turns it into elements: strings always become text nodes,
 * attribute values are set with setAttribute, and the only HTML ever parsed is the server's sanitised
 * reply HTML (a `VHtml` node), which goes through the widget's own allow-list once more.
 */

export type Action =
  | { type: 'ask'; text: string }
  /** The "Read more" button of an answer: shows or hides the full answer it controls. */
  | { type: 'more'; expandLabel: string; collapseLabel: string }
  | { type: 'feedback'; conversationId: string; entryId: string; helpful: boolean }
  | { type: 'retry'; id: string };

export interface VElement {
  tag: string;
  attrs: Record<string, string>;
  children: VNode[];
  action?: Action;
}

/**
 * Server-sanitised reply HTML; `resources` takes the place of the server's crisis resource list, and
 * `more` turns the answer's full text (`div.kap-more`) into a region behind a "Read more" button.
 */
export interface VHtml {
  html: string;
  resources?: VElement;
  more?: { id: string; expandLabel: string; collapseLabel: string };
}

export type VNode = VElement | VHtml | string;

type Child = VNode | null | undefined | false | Child[];

export function h(tag: string, attrs: Record<string, string | null | undefined> = {}, ...children: Child[]): VElement {
  const clean: Record<string, string> = {};
  for (const [name, value] of Object.entries(attrs)) if (value !== null && value !== undefined) clean[name] = value;
  const flat: VNode[] = [];
  const add = (c: Child) => {
    if (Array.isArray(c)) c.forEach(add);
    else if (c !== null && c !== undefined && c !== false) flat.push(c);
  };
  children.forEach(add);
  return { tag, attrs: clean, children: flat };
}

export function withAction(element: VElement, action: Action): VElement {
  return { ...element, action };
}

export const LINK_SCHEMES = ['https:', 'http:', 'mailto:', 'tel:', 'sms:'];
const WEB = ['https:', 'http:'];

/** An absolute URL with an allowed scheme, normalised; anything else (javascript:, data:, relative) is null. */
export function safeHref(value: unknown, schemes: readonly string[] = LINK_SCHEMES): string | null {
  if (typeof value !== 'string' || !value.trim()) return null;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return null;
  }
  return schemes.includes(url.protocol) ? url.href : null;
}

/** `tel:` link for a phone number as written in configuration ("+1 555 010 0000" -> "tel:+15550100000"). */
export function telHref(phone: unknown): string | null {
  if (typeof phone !== 'string') return null;
  const digits = phone.replace(/[^+0-9]/g, '').replace(/(?!^)\+/g, '');
  return /[0-9]{3,}/.test(digits) ? `tel:${digits}` : null;
}

/** Attributes that make a link open in a new tab without giving the target page access to ours. */
function linkAttrs(href: string): Record<string, string> {
  return WEB.includes(new URL(href).protocol) ? { href, target: '_blank', rel: 'noopener noreferrer' } : { href };
}

function link(href: string | null, t: UiStrings, ...children: Child[]): Child {
  if (!href) return children;
  const external = WEB.includes(new URL(href).protocol);
  return h('a', linkAttrs(href), ...children, external ? h('span', { class: 'kw-sr' }, ` ${t.opensNewTab}`) : null);
}

const who = (text: string) => h('p', { class: 'kw-who' }, text);

export function visitorView(text: string, t: UiStrings, clientMessageId?: string): VElement {
  return h(
    'div',
    { class: 'kw-msg kw-visitor', 'data-cmid': clientMessageId },
    who(t.you),
    h('div', { class: 'kw-bubble' }, h('p', { class: 'kw-text' }, text)),
    h('p', { class: 'kw-note', hidden: '' }),
  );
}

export function staffView(text: string, t: UiStrings): VElement {
  return h(
    'div',
    { class: 'kw-msg kw-staff' },
    who(t.careTeam),
    h('div', { class: 'kw-bubble' }, h('p', { class: 'kw-text', 'data-speak': '' }, text)),
  );
}

export function noticeView(text: string): VElement {
  return h('p', { class: 'kw-notice', 'data-speak': '' }, text);
}

function resourceLinks(resources: Resource[], t: UiStrings): VElement | null {
  const items = resources
    .map((r) => ({ r, href: safeHref(r.href) }))
    .filter((x): x is { r: Resource; href: string } => x.href !== null)
    .map(({ r, href }) => h('li', {}, link(href, t, r.label)));
  return items.length ? h('ul', { class: 'kw-reslinks', 'aria-label': t.resourcesLabel }, items) : null;
}

function sourcesView(sources: Source[], t: UiStrings, key: string): VElement {
  return h(
    'div',
    { class: 'kw-sources' },
    h('h4', { id: `${key}-src` }, t.sources),
    h(
      'ol',
      { 'aria-labelledby': `${key}-src` },
      sources.map((s) => {
        const meta = [s.journal ?? s.publisher, s.year].filter((v) => v !== undefined && v !== null && v !== '').join(', ');
        return h(
          'li',
          {},
          link(safeHref(s.url, WEB), t, String(s.title)),
          meta ? h('span', { class: 'kw-meta' }, ` (${meta})`) : null,
        );
      }),
    ),
  );
}

function evidenceView(evidence: NonNullable<Reply['evidence']>, t: UiStrings): VElement {
  const level = /^[a-z-]{1,40}$/.test(evidence.level) ? evidence.level : 'other';
  return h(
    'div',
    { class: 'kw-evidence' },
    h('h4', { class: 'kw-sr' }, t.evidence),
    h(
      'p',
      {},
      h('span', { class: `kw-ev kw-ev-${level}` }, evidence.label),
      ' ',
      h('span', { class: 'kw-caveat' }, evidence.caveat),
    ),
  );
}

function topicsView(suggestions: Suggestion[], heading: string, key: string, speak: boolean, level: 'h3' | 'h4'): VElement {
  return h(
    'div',
    { class: 'kw-related' },
    h(level, { id: `${key}-rel` }, heading),
    h(
      'ul',
      { 'aria-labelledby': `${key}-rel`, 'data-speak': speak ? '' : null },
      suggestions.map((s) =>
        h('li', {}, withAction(h('button', { type: 'button', class: 'kw-chip' }, s.question), { type: 'ask', text: s.question })),
      ),
    ),
  );
}

/** A thumb, drawn (emoji need an emoji font, and show as empty boxes without one); down is up turned round. */
const THUMB = 'M2 10h4v11H2zM8 21h9.3a2 2 0 0 0 1.9-1.5l1.7-7A2 2 0 0 0 19 10h-5.2l.8-3.9a2 2 0 0 0-1.2-2.3l-.7-.3L8 9.3z';

function thumb(up: boolean): VElement {
  return h(
    'svg',
    { class: 'kw-icon kw-fb-icon', viewBox: '0 0 24 24', 'aria-hidden': 'true', focusable: 'false' },
    h('path', { d: THUMB, transform: up ? null : 'rotate(180 12 12)' }),
  );
}

function feedbackView(conversationId: string, entryId: string, t: UiStrings, key: string): VElement {
  // Each button is named by its word ("Yes", "No"); the icon is decoration.
  const button = (helpful: boolean, label: string) =>
    withAction(
      h(
        'button',
        { type: 'button', class: 'kw-fb', 'aria-pressed': 'false', 'data-helpful': String(helpful) },
        thumb(helpful),
        h('span', {}, label),
      ),
      { type: 'feedback', conversationId, entryId, helpful },
    );
  return h(
    'div',
    { class: 'kw-feedback', role: 'group', 'aria-labelledby': `${key}-fb` },
    h('span', { id: `${key}-fb` }, t.helpful),
    button(true, t.yes),
    button(false, t.no),
    h('span', { class: 'kw-fb-note' }),
  );
}

export function crisisResourcesView(resources: Resource[], t: UiStrings): VElement {
  return h(
    'ul',
    { class: 'kw-res-list', 'aria-label': t.resourcesLabel },
    resources
      .map((r) => ({ r, href: safeHref(r.href) }))
      .filter((x): x is { r: Resource; href: string } => x.href !== null)
      .map(({ r, href }) =>
        h(
          'li',
          {},
          h(
            'a',
            { ...linkAttrs(href), class: 'kw-res' },
            h('span', { class: 'kw-res-label' }, r.label),
            h('span', { class: 'kw-res-desc' }, r.description),
          ),
        ),
      ),
  );
}

/**
 * A reply, by type. `key` makes the ids inside unique. Returns null for a relayed message without a
 * notice (the visitor's bubble says it went to the care team).
 */
export function replyView(reply: Reply, widgetStrings: UiStrings, key: string): VElement | null {
  // A reply in another language than the widget's (the visitor wrote in it) is labelled in that language.
  const t = typeof reply.locale === 'string' && reply.locale in UI_STRINGS ? UI_STRINGS[reply.locale] : widgetStrings;
  const resources = Array.isArray(reply.resources) ? reply.resources : [];
  const suggestions = Array.isArray(reply.suggestions) ? reply.suggestions : [];
  const sources = Array.isArray(reply.sources) ? reply.sources : [];
  switch (reply.type) {
    case 'crisis':
      // Not a bubble: a calm, prominent panel, the resources as large one-tap links in the server's order.
      return h(
        'section',
        { class: 'kw-msg kw-crisis', 'aria-labelledby': `${key}-h`, 'data-kind': reply.crisisKind ?? 'follow-up' },
        h('h3', { id: `${key}-h`, class: 'kw-crisis-h' }, t.crisisHeading),
        h('div', { class: 'kw-body', 'data-speak': '' }, { html: reply.html, resources: crisisResourcesView(resources, t) }),
      );
    case 'answer':
      return h(
        'article',
        { class: 'kw-msg kw-bot kw-answer', 'aria-labelledby': reply.question ? `${key}-q` : null },
        who(t.assistant),
        h(
          'div',
          { class: 'kw-bubble' },
          reply.question ? h('h3', { class: 'kw-q', id: `${key}-q`, 'data-speak': '' }, reply.question) : null,
          h(
            'div',
            { class: 'kw-body', 'data-speak': '' },
            { html: reply.html, more: { id: `${key}-more`, expandLabel: t.readMore, collapseLabel: t.readLess } },
          ),
          resources.length ? resourceLinks(resources, t) : null,
          sources.length ? sourcesView(sources, t, key) : null,
          reply.evidence ? evidenceView(reply.evidence, t) : null,
          suggestions.length ? topicsView(suggestions, t.related, key, false, 'h4') : null,
          reply.entryId ? feedbackView(reply.conversationId, reply.entryId, t, key) : null,
        ),
      );
    case 'relayed':
      return reply.html ? h('div', { class: 'kw-notice', 'data-speak': '' }, { html: reply.html }) : null;
    default:
      // 'fallback' (and any type this version does not know): the text, its suggestions, the resources.
      return h(
        'article',
        { class: 'kw-msg kw-bot kw-fallback' },
        who(t.assistant),
        h(
          'div',
          { class: 'kw-bubble' },
          h('div', { class: 'kw-body', 'data-speak': '' }, { html: reply.html }),
          resources.length ? resourceLinks(resources, t) : null,
          suggestions.length ? topicsView(suggestions, t.suggestions, key, true, 'h3') : null,
        ),
      );
  }
}

/** The crisis banner's content: a line (`intro`), then the resources to call or text, one tap each. */
export function bannerView(resources: Resource[], t: UiStrings, intro = t.bannerText): VElement {
  const callable = resources.filter((r) => /^(tel|sms):/i.test(r.href));
  return h('div', { class: 'kw-banner-inner' }, h('p', {}, intro), resourceLinks(callable.length ? callable : resources, t));
}

/** The server's name for a clinic that configured none (CLINIC_NAME's default), English only. */
const UNNAMED_CLINIC = /^\s*the clinic\s*$/i;

/** The clinic's name for sentences, in the widget's language ("the clinic" / "la clínica" when none is set). */
export function clinicName(config: ClinicConfig | null, t: UiStrings): string {
  const name = typeof config?.clinic?.name === 'string' ? config.clinic.name.trim() : '';
  return name && !UNNAMED_CLINIC.test(name) ? name : t.clinicFallbackName;
}

/** The ways to reach a person at the clinic that are configured and safe to link: phone, email, website. */
function channels(config: ClinicConfig | null, t: UiStrings): VElement[] {
  const clinic = config?.clinic;
  const items: VElement[] = [];
  const phone = telHref(clinic?.phone);
  if (phone) items.push(h('li', {}, `${t.contactPhone}: `, h('a', { href: phone }, String(clinic?.phone))));
  const email = typeof clinic?.email === 'string' && /^[^\s@<>"]+@[^\s@<>"]+$/.test(clinic.email) ? clinic.email : null;
  const mail = email ? safeHref(`mailto:${email}`, ['mailto:']) : null;
  if (email && mail) items.push(h('li', {}, `${t.contactEmail}: `, h('a', { href: mail }, email)));
  const site = safeHref(clinic?.url, WEB);
  if (site) items.push(h('li', {}, `${t.contactWebsite}: `, link(site, t, String(clinic?.url))));
  return items;
}

/** Whether "Talk to a person" has anything to offer: a phone number, an email or a website. */
export function offersContact(config: ClinicConfig | null, t: UiStrings): boolean {
  return channels(config, t).length > 0;
}

/**
 * "Talk to a person": the clinic's contact details from /api/widget/config, only those configured (the
 * hours only with a way to reach someone). With none, it says plainly to contact the clinic directly.
 */
export function contactView(config: ClinicConfig | null, t: UiStrings, key: string): VElement {
  const name = clinicName(config, t);
  const items = channels(config, t);
  const hours = config?.clinic?.hours;
  if (items.length && typeof hours === 'string' && hours.trim()) items.push(h('li', {}, `${t.contactHours}: ${hours}`));
  return h(
    'article',
    { class: 'kw-msg kw-bot kw-contact', 'aria-labelledby': `${key}-c` },
    who(t.assistant),
    h(
      'div',
      { class: 'kw-bubble' },
      h('h3', { id: `${key}-c`, 'data-speak': '' }, items.length ? t.contactHeading(name) : t.talkToPerson),
      items.length ? h('ul', { 'data-speak': '' }, items) : h('p', { 'data-speak': '' }, t.contactNone(name)),
    ),
  );
}

/** One turn of a resumed conversation. */
export function turnView(turn: Turn, t: UiStrings, key: string): VElement | null {
  switch (turn.role) {
    case 'visitor':
      return typeof turn.text === 'string' ? visitorView(turn.text, t, turn.clientMessageId) : null;
    case 'bot':
      return turn.reply && typeof turn.reply === 'object' ? replyView(turn.reply, t, key) : null;
    case 'staff':
      return typeof turn.text === 'string' ? staffView(turn.text, t) : null;
    case 'notice':
      return typeof turn.text === 'string' ? noticeView(turn.text) : null;
    default:
      return null;
  }
}

/** Every string in a tree (not the HTML), in order: what a visitor reads there. For tests and checks. */
export function textOf(node: VNode | null): string {
  if (node === null) return '';
  if (typeof node === 'string') return node;
  if ('html' in node) return '';
  return node.children.map(textOf).join('');
}
