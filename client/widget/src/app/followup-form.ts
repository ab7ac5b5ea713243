import { isErrorAck } from '../shared/protocol.js';
import type { UiStrings } from '../shared/strings.js';
import type { Announcer } from './announcer.js';
import type { Connection } from './connection.js';
import { followUpError, followUpView } from './followup.js';
import type { Store } from './store.js';
import type { VNode } from './view.js';

/**
 * The one "leave a phone number or email" form (or its confirmation), in the newest crisis reply that
 * invites it (see followup.ts for when the server does). Sends it with the `contact` event.
 */
export interface FollowUpForm {
  /** Puts the form at the end of this crisis reply (moving it there, typed text and all). */
  offer(crisis: HTMLElement): void;
  /** The conversation was cleared: the next invitation gets a new form. */
  reset(): void;
}

export function createFollowUpForm(
  store: Store,
  t: UiStrings,
  shadow: ShadowRoot,
  connection: Connection,
  announcer: Announcer,
  render: (node: VNode) => HTMLElement,
): FollowUpForm {
  let current: HTMLElement | null = null;

  function create(): HTMLElement {
    const box = render(followUpView(t));
    const form = box.querySelector('form') as HTMLFormElement;
    const field = box.querySelector('input') as HTMLInputElement;
    const button = box.querySelector('button') as HTMLButtonElement;
    const error = box.querySelector('.kw-followup-error') as HTMLElement;
    const done = box.querySelector('.kw-followup-done') as HTMLElement;
    let busy = false;
    // The error is both described by the field and said once by the polite announcer; what was typed stays.
    const fail = (code: string | null) => {
      const text = followUpError(code, t);
      error.textContent = text;
      error.hidden = false;
      field.setAttribute('aria-invalid', 'true');
      field.setAttribute('aria-describedby', error.id);
      announcer.say(text);
    };
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      if (busy) return;
      const contact = field.value.trim();
      const { conversationId, resumeToken } = store.state;
      if (!contact) return fail('invalid_request');
      if (!conversationId) return fail('unknown_conversation');
      const sent = connection.request('contact', { conversationId, resumeToken, contact }, (err, ack) => {
        busy = false;
        button.removeAttribute('aria-disabled');
        if (current !== box) return; // the conversation was cleared meanwhile
        if (err || !ack || (ack as { ok?: unknown }).ok !== true) return fail(isErrorAck(ack) ? String(ack.error.code) : null);
        // Focus must not vanish with the form: it goes to the confirmation, which is then read.
        const focusInside = form.contains(shadow.activeElement);
        form.hidden = true;
        done.hidden = false;
        if (focusInside) done.focus();
        else announcer.say(t.followUpDone);
      });
      if (!sent) return fail(null);
      busy = true;
      button.setAttribute('aria-disabled', 'true');
    });
    return box;
  }

  return {
    offer(crisis) {
      current ??= create();
      const focused = current.contains(shadow.activeElement) ? (shadow.activeElement as HTMLElement) : null;
      crisis.appendChild(current);
      focused?.focus({ preventScroll: true });
    },
    reset() {
      current = null;
    },
  };
}
