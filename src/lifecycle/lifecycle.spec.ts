import { Lifecycle } from './lifecycle.js';

describe('Lifecycle', () => {
  it('is idle at once with nothing in flight, and when the last request ends otherwise', async () => {
    const lifecycle = new Lifecycle();
    await lifecycle.idle();
    lifecycle.begin();
    lifecycle.begin();
    let idle = false;
    const waiting = lifecycle.idle().then(() => (idle = true));
    lifecycle.end();
    await Promise.resolve();
    expect(idle).toBe(false);
    expect(lifecycle.inFlight).toBe(1);
    lifecycle.end();
    await waiting;
    expect(idle).toBe(true);
  });

  it('says when it is draining', () => {
    const lifecycle = new Lifecycle();
    expect(lifecycle.draining).toBe(false);
    lifecycle.startDraining();
    expect(lifecycle.draining).toBe(true);
  });
});
