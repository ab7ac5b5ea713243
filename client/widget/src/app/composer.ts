import type { UiStrings } from '../shared/strings.js';
import type { Announcer } from './announcer.js';
import type { Connection } from './connection.js';
import type { Conversation } from './conversation.js';
import type { PanelParts } from './panel.js';
import { MAX_TEXT } from './state.js';
import type { Store } from './store.js';

/** A client message id: 32 random hex digits. */
function newId(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * What the visitor writes: the text box (Enter sends, Shift+Enter starts a new line), and sending a
 * message from it, from a suggested question or from `KapChat.ask`.
 *
 * Text over the server's limit is refused here, whole: it stays in the text box, the visitor is told
 * why (described by the text box, and said once), and the crisis resources are shown, because a long
 * message may be someone pouring their heart out. The server still screens it for a crisis.
 */
export function createComposer(
  store: Store,
  t: UiStrings,
  parts: PanelParts,
  conversation: Conversation,
  connection: Connection,
  announcer: Announcer,
) {
  const { form, input, inputError } = parts;

  function showError(text: string): void {
    inputError.textContent = text;
    inputError.hidden = false;
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', inputError.id);
    announcer.say(text);
  }

  function clearError(): void {
    inputError.hidden = true;
    input.removeAttribute('aria-invalid');
    input.removeAttribute('aria-describedby');
  }

  function refuseTooLong(text: string): void {
    store.dispatch({ type: 'tooLong' });
    showError(t.tooLong(text.length, MAX_TEXT));
    const id = newId();
    connection.screen(text, id, (reply) => {
      if (!reply || reply.type !== 'crisis') return;
      // Heard after all: the visitor's words go into the log, whole, with the crisis reply.
      store.dispatch({ type: 'screened', reply });
      if (input.value.trim() === text) {
        input.value = '';
        clearError();
      }
      conversation.showVisitor(id, text);
      conversation.showReply(null, reply);
    });
  }

  /** Queues `text` as the visitor's next message and shows it; false when it was not sent. */
  function send(text: string): boolean {
    const clean = String(text ?? '').trim();
    if (!clean) return false;
    if (clean.length > MAX_TEXT) {
      refuseTooLong(clean);
      return false;
    }
    const id = newId();
    if (!store.dispatch({ type: 'submit', id, text: clean })) return false;
    conversation.showVisitor(id, clean);
    connection.ensure();
    connection.pump();
    return true;
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (send(input.value)) {
      input.value = '';
      clearError();
    }
  });
  input.addEventListener('keydown', (event) => {
    // Enter sends, Shift+Enter starts a new line (not while an input method is composing).
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  input.addEventListener('input', () => {
    if (!inputError.hidden && input.value.trim().length <= MAX_TEXT) clearError();
  });

  return {
    send,
    /** `KapChat.ask`: over-long text goes into the text box to be shortened, unless the visitor is writing there. */
    ask(text: string): void {
      const clean = String(text ?? '').trim();
      if (clean.length > MAX_TEXT) {
        if (input.value.trim()) return;
        input.value = clean;
      }
      send(clean);
    },
  };
}
