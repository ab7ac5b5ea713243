import { initialState, type State } from './state.js';
import { createStore } from './store.js';

describe('the widget store', () => {
  it('tells its watchers about each change, in the order they watch, and about nothing else', () => {
    const store = createStore(initialState());
    const seen: Array<[string, State['connection'], State['connection']]> = [];
    store.watch((previous, state) => seen.push(['first', previous.connection, state.connection]));
    store.watch((previous, state) => seen.push(['second', previous.connection, state.connection]));
    expect(store.dispatch({ type: 'connecting' })).toBe(true);
    expect(store.dispatch({ type: 'connecting' })).toBe(false); // no change: nobody is told
    expect(store.state.connection).toBe('connecting');
    expect(seen).toEqual([
      ['first', 'idle', 'connecting'],
      ['second', 'idle', 'connecting'],
    ]);
  });
});
