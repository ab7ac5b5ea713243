import { jest } from '@jest/globals';
import { watchReachability } from './reachability.js';
import { initialState } from './state.js';
import { createStore } from './store.js';

describe('reachability', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('marks the server unreachable once it has been out of reach for the grace period', () => {
    const store = createStore(initialState());
    watchReachability(store, 4000);
    store.dispatch({ type: 'connecting' });
    store.dispatch({ type: 'disconnected' });
    jest.advanceTimersByTime(3999);
    expect(store.state.unreachable).toBe(false);
    jest.advanceTimersByTime(1);
    expect(store.state.unreachable).toBe(true);
    store.dispatch({ type: 'connected' });
    expect(store.state.unreachable).toBe(false);
  });

  it('counts from when the connection dropped, not from when the visitor wrote', () => {
    const store = createStore(initialState());
    watchReachability(store, 4000);
    store.dispatch({ type: 'connecting' });
    store.dispatch({ type: 'connected' });
    store.dispatch({ type: 'disconnected' });
    jest.advanceTimersByTime(10_000);
    expect(store.state.unreachable).toBe(false); // nobody is waiting on the server
    store.dispatch({ type: 'submit', id: 'a', text: 'are you there?' });
    jest.advanceTimersByTime(0);
    expect(store.state.unreachable).toBe(true);
  });

  it('does nothing when the connection comes back in time', () => {
    const store = createStore(initialState());
    watchReachability(store, 4000);
    store.dispatch({ type: 'connecting' });
    store.dispatch({ type: 'connected' });
    store.dispatch({ type: 'disconnected' });
    store.dispatch({ type: 'submit', id: 'a', text: 'hello' });
    jest.advanceTimersByTime(2000);
    store.dispatch({ type: 'connected' });
    jest.advanceTimersByTime(10_000);
    expect(store.state.unreachable).toBe(false);
  });
});
