import type { Reply } from '../shared/protocol.js';
import { UI_STRINGS } from '../shared/strings.js';
import {
  bannerView,
  clinicName,
  contactView,
  offersContact,
  replyView,
  safeHref,
  staffView,
  telHref,
  textOf,
  turnView,
  visitorView,
  type Action,
  type VElement,
  type VHtml,
  type VNode,
} from './view.js';

const t = UI_STRINGS.en;
const XSS = '<img src=x onerror=alert(1)><script>alert(2)</script>"\'><svg/onload=alert(3)>';

const reply = (over: Partial<Reply> = {}): Reply => ({
  conversationId: 'c-1',
  type: 'answer',
  risk: 'none',
  crisisKind: null,
  entryId: 'side-effects',
  question: 'Which side effects are common?',
  html: '<p>Most are short-lived.</p>',
  sources: [
    { title: 'A trial', journal: 'A Journal', year: 2023, url: 'https://example.org/trial' },
    { title: 'Bad link', publisher: 'Someone', url: 'javascript:alert(1)' },
  ],
  evidence: { level: 'moderate', label: 'Moderate evidence', caveat: 'Some good studies.' },
  suggestions: [{ id: 'serious-risks', question: 'What are the serious risks?' }],
  resources: [],
  disclaimer: 'Not medical advice.',
  flagged: false,
  staffPresent: false,
  ...over,
});

/** Every element in a tree, depth first. */
function elements(node: VNode | null): VElement[] {
  if (!node || typeof node === 'string' || 'html' in node) return [];
  return [node, ...node.children.flatMap(elements)];
}
function htmlNodes(node: VNode | null): VHtml[] {
  if (!node || typeof node === 'string') return [];
  if ('html' in node) return [node, ...(node.resources ? htmlNodes(node.resources) : [])];
  return node.children.flatMap(htmlNodes);
}
const byClass = (node: VNode | null, cls: string) => elements(node).filter((e) => (e.attrs.class ?? '').split(' ').includes(cls));
const actions = (node: VNode | null): Action[] => elements(node).flatMap((e) => (e.action ? [e.action] : []));
const links = (node: VNode | null) => elements(node).filter((e) => e.tag === 'a');

describe('escaping', () => {
  it('keeps visitor text as text: never HTML, whatever it contains', () => {
    const view = visitorView(XSS, t, 'm1');
    expect(htmlNodes(view)).toEqual([]);
    expect(textOf(view)).toBe(`${t.you}${XSS}`);
    const text = byClass(view, 'kw-text')[0];
    expect(text.children).toEqual([XSS]);
  });

  it('keeps staff messages and notices as text too', () => {
    const view = staffView(XSS, t);
    expect(htmlNodes(view)).toEqual([]);
    expect(textOf(view)).toContain(XSS);
    expect(htmlNodes(turnView({ role: 'notice', text: XSS, at: 'now' }, t, 'k'))).toEqual([]);
  });

  it('puts only the server-sanitised reply HTML into HTML nodes; titles and labels stay text', () => {
    const view = replyView(
      reply({ question: XSS, sources: [{ title: XSS, url: 'https://example.org/' }], suggestions: [{ id: 'x', question: XSS }] }),
      t,
      'm2',
    );
    expect(htmlNodes(view).map((n) => n.html)).toEqual(['<p>Most are short-lived.</p>']);
    expect(textOf(view).split(XSS).length - 1).toBe(3);
  });

  it('never sets an event handler or style attribute', () => {
    const views = [
      visitorView(XSS, t, 'a'),
      replyView(reply(), t, 'b'),
      replyView(reply({ type: 'crisis', resources: [{ id: 'x', label: XSS, href: 'tel:988', description: XSS }] }), t, 'c'),
      replyView(reply({ type: 'fallback' }), t, 'd'),
      contactView({ clinic: { name: XSS, phone: '555-0100', email: 'a@b.org', url: 'https://example.org', hours: XSS } }, t, 'e'),
    ];
    for (const view of views) {
      for (const el of elements(view)) {
        for (const name of Object.keys(el.attrs)) expect(name).not.toMatch(/^on|^style$/i);
      }
    }
  });

  it('allows only absolute http(s), mailto, tel and sms links', () => {
    expect(safeHref('https://example.org/a b')).toBe('https://example.org/a%20b');
    expect(safeHref('tel:988')).toBe('tel:988');
    expect(safeHref('sms:741741?&body=HOME')).toBe('sms:741741?&body=HOME');
    expect(safeHref('mailto:care@example.org')).toBe('mailto:care@example.org');
    for (const bad of [
      'javascript:alert(1)',
      ' JaVaScRiPt:alert(1)',
      'java\tscript:alert(1)',
      'data:text/html,<b>',
      'vbscript:x',
      '/relative',
      '//evil.example',
      '',
      42,
      null,
    ]) {
      expect(safeHref(bad)).toBeNull();
    }
    expect(safeHref('tel:988', ['https:'])).toBeNull();
    expect(telHref('+1 555 010 0000')).toBe('tel:+15550100000');
    expect(telHref('555-0100')).toBe('tel:5550100');
    expect(telHref('call us')).toBeNull();
  });
});

describe('rendering a reply', () => {
  it('renders an answer: question, body, sources as links, evidence with its caveat, related topics, feedback', () => {
    const view = replyView(reply(), t, 'm3')!;
    expect(view.tag).toBe('article');
    expect(byClass(view, 'kw-q')[0].children).toEqual(['Which side effects are common?']);
    const sourceLinks = links(byClass(view, 'kw-sources')[0]);
    expect(sourceLinks.map((a) => a.attrs)).toEqual([
      { href: 'https://example.org/trial', target: '_blank', rel: 'noopener noreferrer' },
    ]);
    // The source with a javascript: URL keeps its title, as text, without a link.
    expect(textOf(byClass(view, 'kw-sources')[0])).toContain('Bad link (Someone)');
    expect(textOf(byClass(view, 'kw-sources')[0])).toContain('A trial (opens in a new tab) (A Journal, 2023)');
    expect(textOf(byClass(view, 'kw-evidence')[0])).toContain('Moderate evidence Some good studies.');
    expect(byClass(view, 'kw-ev-moderate')).toHaveLength(1);
    expect(actions(view)).toEqual([
      { type: 'ask', text: 'What are the serious risks?' },
      { type: 'feedback', conversationId: 'c-1', entryId: 'side-effects', helpful: true },
      { type: 'feedback', conversationId: 'c-1', entryId: 'side-effects', helpful: false },
    ]);
    expect(
      elements(view)
        .filter((e) => e.tag === 'button')
        .every((b) => b.attrs.type === 'button'),
    ).toBe(true);
  });

  it('puts the full answer behind "Read more", labelled in the language of the reply', () => {
    const more = (r: Reply) => htmlNodes(replyView(r, t, 'm4')).map((n) => n.more);
    expect(more(reply())).toEqual([{ id: 'm4-more', expandLabel: 'Read more', collapseLabel: 'Show less' }]);
    // A Spanish reply in the English widget (the visitor wrote Spanish) is labelled in Spanish.
    const es = replyView(reply({ locale: 'es' }), t, 'm4')!;
    expect(htmlNodes(es).map((n) => n.more?.expandLabel)).toEqual([UI_STRINGS.es.readMore]);
    expect(textOf(byClass(es, 'kw-sources')[0])).toContain(UI_STRINGS.es.sources);
    expect(textOf(byClass(es, 'kw-feedback')[0])).toContain(UI_STRINGS.es.helpful);
    // An unknown locale falls back to the widget's strings.
    expect(more(reply({ locale: 'xx' as Reply['locale'] }))[0]?.expandLabel).toBe('Read more');
  });

  it('draws the feedback icons as decorative SVG, never emoji; the buttons are named by their words', () => {
    const buttons = byClass(replyView(reply(), t, 'm9'), 'kw-fb');
    expect(buttons.map((b) => textOf(b))).toEqual(['Yes', 'No']);
    expect(textOf(replyView(reply(), t, 'm9'))).not.toMatch(/\p{Extended_Pictographic}/u);
    for (const b of buttons) {
      const svg = elements(b).find((e) => e.tag === 'svg')!;
      expect(svg.attrs).toMatchObject({ 'aria-hidden': 'true', focusable: 'false', viewBox: '0 0 24 24' });
      expect(elements(svg).filter((e) => e.tag === 'path')).toHaveLength(1);
    }
  });

  it('renders a fallback with its suggestions as buttons, and no feedback', () => {
    const view = replyView(reply({ type: 'fallback', entryId: null, question: null, sources: [], evidence: null }), t, 'm4')!;
    expect(byClass(view, 'kw-fallback')).toHaveLength(1);
    expect(actions(view)).toEqual([{ type: 'ask', text: 'What are the serious risks?' }]);
    expect(byClass(view, 'kw-sources')).toEqual([]);
  });

  it('renders a crisis as a panel, not a bubble, with one-tap resources in place of the server list', () => {
    const crisis = reply({
      type: 'crisis',
      risk: 'crisis',
      crisisKind: 'disclosure',
      entryId: null,
      question: null,
      sources: [],
      evidence: null,
      suggestions: [],
      html: '<p>Thank you for telling me.</p><ul class="kap-crisis-resources"><li>…</li></ul>',
      resources: [
        { id: '988-call', label: 'Call 988', href: 'tel:988', description: 'Lifeline' },
        { id: '988-text', label: 'Text 988', href: 'sms:988', description: 'Text' },
        { id: 'ctl', label: 'Text HOME to 741741', href: 'sms:741741?&body=HOME', description: 'CTL' },
        { id: 'chat', label: 'Chat', href: 'https://988lifeline.org/chat/', description: 'Chat' },
        { id: 'bad', label: 'Bad', href: 'javascript:alert(1)', description: 'never a link' },
      ],
      flagged: true,
    });
    const view = replyView(crisis, t, 'm5')!;
    expect(view.tag).toBe('section');
    expect(byClass(view, 'kw-bubble')).toEqual([]);
    expect(byClass(view, 'kw-crisis-h')[0].children).toEqual([t.crisisHeading]);
    const [html] = htmlNodes(view);
    expect(html.html).toBe(crisis.html);
    expect(links(html.resources!).map((a) => a.attrs.href)).toEqual([
      'tel:988',
      'sms:988',
      'sms:741741?&body=HOME',
      'https://988lifeline.org/chat/',
    ]);
    expect(links(html.resources!)[3].attrs).toMatchObject({ target: '_blank', rel: 'noopener noreferrer' });
  });

  it('shows the resources line of an answer to a distressed visitor as links', () => {
    const view = replyView(
      reply({ risk: 'concern', resources: [{ id: '988', label: 'Call 988', href: 'tel:988', description: '' }] }),
      t,
      'm6',
    );
    expect(links(byClass(view, 'kw-reslinks')[0]).map((a) => a.attrs.href)).toEqual(['tel:988']);
  });

  it('shows nothing for a relayed message without a notice', () => {
    expect(replyView(reply({ type: 'relayed', html: '' }), t, 'm7')).toBeNull();
    expect(htmlNodes(replyView(reply({ type: 'relayed', html: '<p>Sent.</p>' }), t, 'm8'))).toHaveLength(1);
  });

  it('makes the ids inside a reply unique by its key', () => {
    const ids = (key: string) => elements(replyView(reply(), t, key)).flatMap((e) => (e.attrs.id ? [e.attrs.id] : []));
    expect(ids('a').every((id) => id.startsWith('a-'))).toBe(true);
    expect(new Set([...ids('a'), ...ids('b')]).size).toBe(ids('a').length * 2);
  });

  it('puts only callable resources in the banner', () => {
    const view = bannerView(
      [
        { id: '988', label: 'Call 988', href: 'tel:988', description: '' },
        { id: 'chat', label: 'Chat', href: 'https://988lifeline.org/chat/', description: '' },
        { id: 'ctl', label: 'Text HOME to 741741', href: 'sms:741741?&body=HOME', description: '' },
      ],
      t,
    );
    expect(links(view).map((a) => a.attrs.href)).toEqual(['tel:988', 'sms:741741?&body=HOME']);
  });

  it('shows the clinic contact from configuration, dropping what is not safe', () => {
    const good = contactView(
      {
        clinic: {
          name: 'Example Clinic',
          phone: '555-0100',
          email: 'care@example.org',
          url: 'https://example.org/',
          hours: '9 to 5',
        },
      },
      t,
      'c',
    );
    expect(links(good).map((a) => a.attrs.href)).toEqual(['tel:5550100', 'mailto:care@example.org', 'https://example.org/']);
    expect(textOf(good)).toContain('Talk to a person at Example Clinic');
    expect(textOf(good)).toContain('Hours: 9 to 5');
    const bad = contactView({ clinic: { name: 'X', email: '"><img>@x', url: 'javascript:alert(1)' } }, t, 'd');
    expect(links(bad)).toEqual([]);
    expect(textOf(bad)).toContain('Please contact X directly.');
    expect(textOf(contactView(null, t, 'e'))).toContain('Please contact the clinic directly.');
  });

  it('offers "Talk to a person" only with a phone number, an email or a website, and shows only what is configured', () => {
    expect(offersContact(null, t)).toBe(false);
    expect(offersContact({ clinic: { name: 'Example Clinic' } }, t)).toBe(false);
    expect(offersContact({ clinic: { name: 'Example Clinic', hours: '9 to 5' } }, t)).toBe(false);
    expect(offersContact({ clinic: { name: 'X', email: '"><img>@x', url: 'javascript:alert(1)' } }, t)).toBe(false);
    expect(offersContact({ clinic: { name: 'Example Clinic', url: 'https://example.org/' } }, t)).toBe(true);
    const phoneOnly = contactView({ clinic: { name: 'Example Clinic', phone: '555-0100' } }, t, 'p');
    expect(textOf(phoneOnly)).toBe('AssistantTalk to a person at Example ClinicPhone: 555-0100');
    // Hours alone are no way to reach anyone: no promise of details that do not exist.
    const hoursOnly = contactView({ clinic: { name: 'Example Clinic', hours: '9 to 5' } }, t, 'h');
    expect(textOf(hoursOnly)).toBe('AssistantTalk to a personPlease contact Example Clinic directly.');
  });

  it('never says "the the clinic", and never an English default name in Spanish', () => {
    const es = UI_STRINGS.es;
    for (const name of ['the clinic', 'The clinic', ' the clinic ', '', '   ']) {
      for (const config of [{ clinic: { name } }, { clinic: { name, phone: '555-0100' } }]) {
        const english = textOf(contactView(config, t, 'a'));
        const spanish = textOf(contactView(config, es, 'b'));
        expect(english).not.toMatch(/\bthe the\b/i);
        expect(english).toMatch(/the clinic/);
        expect(spanish).not.toMatch(/the clinic/i);
        expect(spanish).toMatch(/la clínica/);
      }
    }
    expect(clinicName({ clinic: { name: 'The Ketamine Clinic of Example' } }, es)).toBe('The Ketamine Clinic of Example');
  });

  it('renders every turn of a resumed conversation by its role', () => {
    expect(turnView({ role: 'visitor', text: 'hi', at: 'now', clientMessageId: 'm' }, t, 'k')?.attrs['data-cmid']).toBe('m');
    expect(turnView({ role: 'bot', at: 'now', reply: reply() }, t, 'k')?.tag).toBe('article');
    expect(turnView({ role: 'staff', text: 'Hello, I am Sam', at: 'now' }, t, 'k')?.attrs.class).toContain('kw-staff');
    expect(turnView({ role: 'notice', text: 'Joined', at: 'now' }, t, 'k')?.attrs.class).toBe('kw-notice');
    expect(turnView({ role: 'alien', at: 'now' } as never, t, 'k')).toBeNull();
    expect(turnView({ role: 'visitor', text: 42, at: 'now' } as never, t, 'k')).toBeNull();
  });
});
