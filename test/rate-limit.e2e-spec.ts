import { ask, connectVisitor, startApp, type RunningApp } from './support/app.js';

/** Each test speaks from its own address (X-Forwarded-For through the trusted loopback proxy). */
describe('per-connection rate limit (real app)', () => {
  let running: RunningApp;
  beforeAll(async () => {
    running = await startApp({
      RATE_LIMIT_MESSAGES: '3',
      RATE_LIMIT_WINDOW_SECONDS: '60',
      NEW_CONVERSATIONS_PER_HOUR: '4',
      TRUST_PROXY: 'loopback',
    });
  });
  afterAll(() => running.close());

  const visitorFrom = (address: string) => connectVisitor(running.url, { extraHeaders: { 'x-forwarded-for': address } });

  it('answers rate_limited past the limit, but never refuses a crisis message', async () => {
    const socket = await visitorFrom('192.0.2.10');
    const first = await ask(socket, { text: 'What is KAP?' });
    expect(first.type).toBe('answer');
    const access = { conversationId: first.conversationId, resumeToken: first.resumeToken };
    for (let i = 0; i < 2; i++) expect((await ask(socket, { text: 'What is KAP?', ...access })).type).toBe('answer');
    expect(await ask(socket, { text: 'What is KAP?', ...access })).toEqual({
      error: { code: 'rate_limited', message: expect.any(String) },
    });
    // A crisis is screened before any limit and answered, past the limit, with the crisis reply.
    expect((await ask(socket, { text: 'I want to die', ...access })).type).toBe('crisis');

    // The limit is per connection: a new connection starts afresh.
    const other = await visitorFrom('192.0.2.10');
    expect((await ask(other, { text: 'What is KAP?' })).type).toBe('answer');
    socket.close();
    other.close();
  });

  it('limits new conversations per address, but never a crisis, and never an ongoing conversation', async () => {
    const socket = await visitorFrom('192.0.2.20');
    const started: Array<Record<string, any>> = [];
    for (let i = 0; i < 4; i++) {
      started.push(await ask(socket, { text: 'What is KAP?' }));
      socket.disconnect().connect();
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    }
    expect(started.map((r) => r.type)).toEqual(['answer', 'answer', 'answer', 'answer']);
    // The fifth new conversation from this address is refused...
    expect(await ask(socket, { text: 'What is KAP?' })).toEqual({ error: { code: 'rate_limited', message: expect.any(String) } });
    // ...a crisis is not...
    expect((await ask(socket, { text: 'I want to kill myself' })).type).toBe('crisis');
    // ...and an ongoing conversation goes on.
    const ongoing = started[0];
    const more = await ask(socket, {
      text: 'What is KAP?',
      conversationId: ongoing.conversationId,
      resumeToken: ongoing.resumeToken,
    });
    expect(more).toMatchObject({ type: 'answer', conversationId: ongoing.conversationId });
    // Another address has its own allowance.
    const elsewhere = await visitorFrom('192.0.2.30');
    expect((await ask(elsewhere, { text: 'What is KAP?' })).type).toBe('answer');
    socket.close();
    elsewhere.close();
  });
});
