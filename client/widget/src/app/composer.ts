import type { Connection } from './connection.js';
import type { Conversation } from './conversation.js';
import type { PanelParts } from './panel.js';
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
 */
export function createComposer(store: Store, parts: PanelParts, conversation: Conversation, connection: Connection) {
  const { form, input } = parts;

  /** Queues `text` as the visitor's next message and shows it; false when there is nothing to send. */
  function send(text: string): boolean {
    const clean = String(text ?? '').trim();
    if (!clean) return false;
    const id = newId();
    if (!store.dispatch({ type: 'submit', id, text: clean })) return false;
    const queued = store.state.outbox.find((o) => o.id === id);
    conversation.showVisitor(id, queued?.text ?? clean);
    connection.ensure();
    connection.pump();
    return true;
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (send(input.value)) input.value = '';
  });
  input.addEventListener('keydown', (event) => {
    // Enter sends, Shift+Enter starts a new line (not while an input method is composing).
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  return { send };
}
