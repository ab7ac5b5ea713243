import type { UiStrings } from '../shared/strings.js';
import type { Announcer } from './announcer.js';
import type { Banner } from './banner.js';
import type { Connection } from './connection.js';
import type { Conversation } from './conversation.js';
import type { FollowUpForm } from './followup-form.js';
import type { PanelParts } from './panel.js';
import { storeAccess } from './storage.js';
import type { Store } from './store.js';

/**
 * "Clear this conversation": asks first (a small confirmation bar, Escape cancels), then forgets the
 * conversation on the server (`clear`) and on this device.
 */
export function createClear(
  store: Store,
  t: UiStrings,
  parts: PanelParts,
  connection: Connection,
  conversation: Conversation,
  banner: Banner,
  followUp: FollowUpForm,
  announcer: Announcer,
) {
  const { confirmBar, clearButton, input } = parts;

  async function clear(): Promise<void> {
    confirmBar.hidden = true;
    const { conversationId, resumeToken } = store.state;
    // Not connected: forgotten on this device only (the server forgets idle conversations by itself).
    if (conversationId)
      await new Promise<void>(
        (resolve) => connection.request('clear', { conversationId, resumeToken }, () => resolve()) || resolve(),
      );
    store.dispatch({ type: 'cleared' });
    storeAccess(null, null);
    conversation.reset();
    followUp.reset();
    banner.reset();
    conversation.notice(t.cleared);
    announcer.say(t.cleared);
    input.focus();
  }

  return {
    ask(): void {
      confirmBar.hidden = false;
      parts.confirmYes.focus();
    },
    clear,
    /** Closes the confirmation; focus goes back to the button that opened it. */
    cancel(): void {
      confirmBar.hidden = true;
      clearButton.focus();
    },
    hide(): void {
      confirmBar.hidden = true;
    },
  };
}
