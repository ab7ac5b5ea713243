import type { UiStrings } from '../shared/strings.js';
import type { Announcer } from './announcer.js';
import { isWaiting, type State } from './state.js';
import type { Store } from './store.js';

/** The header's status line (connecting, offline, a person present...) and the typing indicator. */
export function watchStatus(
  store: Store,
  t: UiStrings,
  line: HTMLElement,
  text: HTMLElement,
  typing: HTMLElement,
  announcer: Announcer,
): void {
  const draw = (state: State) => {
    const c = state.connection;
    line.setAttribute('data-state', c);
    text.textContent =
      c === 'offline'
        ? t.status.offline
        : c === 'connecting'
          ? t.status.connecting
          : c === 'reconnected'
            ? t.status.reconnected
            : state.staffPresent
              ? t.staffPresent
              : t.subtitle;
  };
  draw(store.state);
  store.watch((previous, state) => {
    if (previous.connection !== state.connection || previous.staffPresent !== state.staffPresent) draw(state);
    if (previous.connection !== state.connection && state.open && previous.connection !== 'idle') {
      // Connection changes are status messages (WCAG 4.1.3): they go through the same single announcer.
      if (state.connection === 'offline') announcer.say(t.status.offline);
      if (state.connection === 'reconnected') announcer.say(t.status.reconnected);
    }
    typing.hidden = !isWaiting(state);
  });
}
