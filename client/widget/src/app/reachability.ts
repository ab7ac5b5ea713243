import { needsHelp, type State } from './state.js';
import type { Store } from './store.js';

/**
 * How long the widget may be unable to reach the server, while the visitor could need it, before it
 * shows its built-in crisis resources. Short: a visitor in crisis must not wait on a spinner; long
 * enough that a brief network blip does not flash them.
 */
export const UNREACHABLE_AFTER_MS = 4_000;

/**
 * Watches the connection: once help is needed (see `needsHelp`) and the server has been out of reach
 * for UNREACHABLE_AFTER_MS, marks the state unreachable (the banner then shows the resources).
 */
export function watchReachability(store: Store, after = UNREACHABLE_AFTER_MS): void {
  /** When the server was last within reach (connected), or when the first attempt began. */
  let lastReached = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const connected = (s: State) => s.connection === 'online' || s.connection === 'reconnected';

  store.watch((previous, state) => {
    if (connected(state) || (previous.connection === 'idle' && state.connection !== 'idle') || connected(previous))
      lastReached = Date.now();
    if (state.unreachable || !needsHelp(state)) {
      clearTimeout(timer);
      timer = undefined;
      return;
    }
    // A visitor who writes long after the connection dropped is not made to wait again.
    timer ??= setTimeout(
      () => {
        timer = undefined;
        store.dispatch({ type: 'unreachable' });
      },
      Math.max(0, lastReached + after - Date.now()),
    );
  });
}
