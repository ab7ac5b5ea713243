import type { Reply } from '../shared/protocol.js';
import type { UiStrings } from '../shared/strings.js';
import { h, type VElement } from './view.js';

/**
 * Leaving a phone number or email for follow-up after a crisis reply (socket event `contact`).
 * The server invites it (`contactInvited`) only when someone on the care team was alerted, and says
 * so in the reply: the widget offers the form exactly where the server invites it, never on its own. Pure: the controller (widget.ts) does the DOM and socket.
 */

/** Same limits as the server's `contact` schema (a phone number or an email, 5 to 100 characters). */
export const MAX_CONTACT = 100;

/** Whether this is a crisis reply of a flagged conversation in which the server invites a contact. */
export function invitesFollowUp(reply: Reply | null | undefined): boolean {
  return Boolean(reply && reply.type === 'crisis' && reply.flagged === true && reply.contactInvited === true);
}

/** What to tell the visitor when the server (or the connection) refused the contact. */
export function followUpError(code: string | null, t: UiStrings): string {
  if (code === 'invalid_request') return t.followUpInvalid;
  if (code === 'unknown_conversation') return t.followUpUnknown;
  return t.followUpFailed;
}

/**
 * The form: a labelled text input (a phone number or an email: one field, so not type=tel/email),
 * a submit button, a place for an error (described by it when shown), and the confirmation that
 * replaces the form. There is only ever one of these in the widget, so its ids are fixed.
 */
export function followUpView(t: UiStrings): VElement {
  return h(
    'div',
    { class: 'kw-followup' },
    h(
      'form',
      { class: 'kw-followup-form', novalidate: '' },
      h('label', { for: 'kw-followup-input', class: 'kw-label' }, t.followUpLabel),
      h(
        'div',
        { class: 'kw-followup-row' },
        h('input', {
          id: 'kw-followup-input',
          type: 'text',
          maxlength: String(MAX_CONTACT),
          autocomplete: 'off',
          autocapitalize: 'off',
          spellcheck: 'false',
        }),
        h('button', { type: 'submit', class: 'kw-followup-send' }, t.followUpSend),
      ),
      h('p', { id: 'kw-followup-error', class: 'kw-followup-error', hidden: '' }),
    ),
    h('p', { class: 'kw-followup-done', tabindex: '-1', hidden: '' }, t.followUpDone),
  );
}
