import type { UiStrings } from '../shared/strings.js';
import type { Connection } from './connection.js';
import type { Store } from './store.js';
import type { Action } from './view.js';

/** "Was this helpful?": sends the vote (`feedback` event) and marks the chosen button once stored. */
export function createFeedback(store: Store, t: UiStrings, connection: Connection) {
  return function send(action: Extract<Action, { type: 'feedback' }>, button: Element): void {
    const group = button.closest('.kw-feedback');
    const note = group?.querySelector('.kw-fb-note');
    const done = (ok: boolean) => {
      if (ok) group?.querySelectorAll('button').forEach((b) => b.setAttribute('aria-pressed', String(b === button)));
      if (note) note.textContent = ok ? t.feedbackThanks : t.feedbackError;
    };
    const { conversationId, entryId, helpful } = action;
    const payload = { conversationId, resumeToken: store.state.resumeToken, entryId, helpful };
    const sent = connection.request('feedback', payload, (err, ack) =>
      done(!err && !!ack && (ack as { ok?: unknown }).ok === true),
    );
    if (!sent) done(false);
  };
}
