import { ask, connectVisitor, startApp, type RunningApp } from './support/app.js';

describe('per-connection rate limit (real app)', () => {
  let running: RunningApp;
  beforeAll(async () => {
    running = await startApp({ RATE_LIMIT_MESSAGES: '3', RATE_LIMIT_WINDOW_SECONDS: '60', NEW_CONVERSATIONS_PER_HOUR: '4' });
  });
  afterAll(() => running.close());

  it('answers rate_limited past the limit, but never drops or delays a crisis message', async () => {
    const socket = await connectVisitor(running.url);
    for (let i = 0; i < 3; i++) expect((await ask(socket, { text: 'What is KAP?' })).type).toBe('answer');
    expect(await ask(socket, { text: 'What is KAP?' })).toEqual({ error: { code: 'rate_limited', message: expect.any(String) } });

    const started = Date.now();
    const crisis = await ask(socket, { text: 'I want to die' });
    expect(crisis.type).toBe('crisis');
    expect(Date.now() - started).toBeLessThan(1000);

    // The limit is per connection: a new connection starts afresh.
    const other = await connectVisitor(running.url);
    expect((await ask(other, { text: 'What is KAP?' })).type).toBe('answer');
    socket.close();
    other.close();
  });

  it('limits new conversations per address, but never a crisis, and never an ongoing conversation', async () => {
    const socket = await connectVisitor(running.url);
    // The first test already started conversations from this address; use up what is left.
    let started = 0;
    let refused: Record<string, any> | null = null;
    for (let i = 0; i < 6 && !refused; i++) {
      const reply = await ask(socket, { text: 'What is KAP?' });
      if ('error' in reply) refused = reply;
      else started++;
    }
    expect(refused).toEqual({ error: { code: 'rate_limited', message: expect.any(String) } });
    expect(started).toBeLessThan(4);
    expect((await ask(socket, { text: 'I want to kill myself' })).type).toBe('crisis');
    socket.close();
  });
});
