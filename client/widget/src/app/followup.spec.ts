import type { Reply } from '../shared/protocol.js';
import { UI_STRINGS } from '../shared/strings.js';
import { followUpError, followUpView, invitesFollowUp, MAX_CONTACT } from './followup.js';
import type { VElement, VNode } from './view.js';

const t = UI_STRINGS.en;

const crisis = (html: string, over: Partial<Reply> = {}): Reply => ({
  conversationId: 'c-1',
  type: 'crisis',
  risk: 'crisis',
  crisisKind: 'disclosure',
  entryId: null,
  question: null,
  html: `<p>Thank you for telling me.</p><ul class="kap-crisis-resources"><li>988</li></ul>${html}<p>Are you safe right now?</p>`,
  sources: [],
  evidence: null,
  suggestions: [],
  resources: [],
  disclaimer: '',
  flagged: true,
  staffPresent: false,
  contactInvited: true,
  ...over,
});

function elements(node: VNode): VElement[] {
  if (typeof node === 'string' || 'html' in node) return [];
  return [node, ...node.children.flatMap(elements)];
}

describe('invitesFollowUp', () => {
  it('is true for a flagged crisis reply in which the server invites a contact', () => {
    expect(invitesFollowUp(crisis('<p>You can leave a phone number or email here.</p>'))).toBe(true);
    expect(invitesFollowUp(crisis('', { crisisKind: 'third-party' }))).toBe(true);
  });

  it('is false when the server did not invite it (nobody on the care team was alerted), whatever the text says', () => {
    expect(invitesFollowUp(crisis('<p>You can leave a phone number or email here.</p>', { contactInvited: false }))).toBe(false);
    expect(invitesFollowUp(crisis('', { contactInvited: undefined }))).toBe(false);
  });

  it('is false for anything but a crisis reply of a flagged conversation', () => {
    expect(invitesFollowUp(crisis('', { flagged: false }))).toBe(false);
    expect(invitesFollowUp(crisis('', { type: 'answer' }))).toBe(false);
    expect(invitesFollowUp(crisis('', { type: 'relayed' }))).toBe(false);
    expect(invitesFollowUp(null)).toBe(false);
    expect(invitesFollowUp(undefined)).toBe(false);
  });
});

describe('followUpError', () => {
  it.each([
    ['invalid_request', 'followUpInvalid'],
    ['unknown_conversation', 'followUpUnknown'],
    ['internal_error', 'followUpFailed'],
    ['rate_limited', 'followUpFailed'],
    [null, 'followUpFailed'],
  ] as const)('tells the visitor about %s in their language', (code, key) => {
    expect(followUpError(code, UI_STRINGS.en)).toBe(UI_STRINGS.en[key]);
    expect(followUpError(code, UI_STRINGS.es)).toBe(UI_STRINGS.es[key]);
    expect(UI_STRINGS.es[key]).not.toBe(UI_STRINGS.en[key]);
  });
});

describe('followUpView', () => {
  const view = followUpView(t);
  const all = elements(view);
  const one = (predicate: (e: VElement) => boolean) => {
    const found = all.filter(predicate);
    expect(found).toHaveLength(1);
    return found[0];
  };

  it('is a form with a labelled text input and a submit button, in the visitor language', () => {
    const input = one((e) => e.tag === 'input');
    const label = one((e) => e.tag === 'label');
    expect(input.attrs).toMatchObject({ type: 'text', maxlength: String(MAX_CONTACT) });
    expect(label.attrs.for).toBe(input.attrs.id);
    expect(label.children).toEqual([t.followUpLabel]);
    const button = one((e) => e.tag === 'button');
    expect(button.attrs.type).toBe('submit');
    expect(button.children).toEqual([t.followUpSend]);
    expect(elements(followUpView(UI_STRINGS.es)).find((e) => e.tag === 'label')?.children).toEqual([UI_STRINGS.es.followUpLabel]);
    expect(one((e) => e.tag === 'form')).toBeTruthy();
  });

  it('has an error place (hidden, with an id to describe the input) and a hidden, focusable confirmation', () => {
    const error = one((e) => e.attrs.class === 'kw-followup-error');
    expect(error.attrs).toMatchObject({ id: 'kw-followup-error', hidden: '' });
    const done = one((e) => e.attrs.class === 'kw-followup-done');
    expect(done.attrs).toMatchObject({ tabindex: '-1', hidden: '' });
    expect(done.children).toEqual([t.followUpDone]);
  });

  it('has no inline style, no event handler attribute and no HTML', () => {
    for (const e of all) for (const name of Object.keys(e.attrs)) expect(name).not.toMatch(/^(style|on)/i);
    const html = (n: VNode): boolean => typeof n !== 'string' && ('html' in n || n.children.some(html));
    expect(html(view)).toBe(false);
  });
});
