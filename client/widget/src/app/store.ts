import { reduce, type State, type WidgetEvent } from './state.js';

/**
 * The one place the widget's state changes. Each part of the widget watches the changes it cares about,
 * instead of one controller knowing what every part must redraw.
 */
export interface Store {
  readonly state: State;
  /** Applies an event; false when it changed nothing (a duplicate acknowledgement, a late time-out). */
  dispatch(event: WidgetEvent): boolean;
  /**
   * Calls `listener` after every change, in the order listeners were added. Listeners update the page;
   * they must not dispatch (a nested change would reach later listeners out of order).
   */
  watch(listener: (previous: State, state: State) => void): void;
}

export function createStore(initial: State): Store {
  let state = initial;
  const listeners: Array<(previous: State, state: State) => void> = [];
  return {
    get state() {
      return state;
    },
    dispatch(event) {
      const previous = state;
      state = reduce(state, event);
      if (state === previous) return false;
      for (const listener of listeners) listener(previous, state);
      return true;
    },
    watch(listener) {
      listeners.push(listener);
    },
  };
}
