import { EscalationService } from '../src/escalation/escalation.service.js';
import { access, ask, connectVisitor, startApp, type RunningApp } from './support/app.js';

/**
 * Hardening items 2, 3, 4 and 9: a conversation is reached only with its secret; a resent message id
 * with other text is screened as new; every refusal of a message in distress (or in a flagged
 * conversation) carries the crisis resources; the whole text of any payload the transport accepts is
 * screened, however long.
 */
describe('conversation access, resends and refusals (real app)', () => {
  let running: RunningApp;
  beforeAll(async () => {
    running = await startApp({ RATE_LIMIT_MESSAGES: '6', RATE_LIMIT_WINDOW_SECONDS: '60' });
  });
  afterAll(() => running.close());

  it('continues a conversation only with its resume token, and never says whether an id exists', async () => {
    const socket = await connectVisitor(running.url);
    const first = await ask(socket, { text: 'What is KAP?' });
    expect(first.resumeToken).toMatch(/^[\w-]{20,}$/);
    const other = await connectVisitor(running.url);
    // Someone who learned the id (a page in a chat channel, a log) but not the token:
    const { conversationId } = first;
    expect(await other.timeout(15000).emitWithAck('resume', { conversationId, resumeToken: 'guess' })).toEqual({
      error: { code: 'unknown_conversation', message: expect.any(String) },
    });
    expect(await other.timeout(15000).emitWithAck('resume', { conversationId })).toEqual({
      error: { code: 'invalid_request', message: expect.any(String) },
    });
    const intruder = await ask(other, { text: 'How long is a session?', conversationId, resumeToken: 'guess' });
    expect(intruder.conversationId).not.toBe(conversationId);
    expect(
      await other.timeout(15000).emitWithAck('contact', { conversationId, resumeToken: 'guess', contact: 'me@example.org' }),
    ).toEqual({ error: { code: 'unknown_conversation', message: expect.any(String) } });
    expect(await other.timeout(15000).emitWithAck('clear', { conversationId, resumeToken: 'guess' })).toMatchObject({
      error: { code: 'unknown_conversation' },
    });
    // The visitor's own widget continues it.
    const resumed = await socket.timeout(15000).emitWithAck('resume', access(first));
    expect(resumed.turns.map((t: { role: string }) => t.role)).toEqual(['visitor', 'bot']);
    socket.close();
    other.close();
  });

  it('screens a resent message id as new when its text differs', async () => {
    const socket = await connectVisitor(running.url);
    const first = await ask(socket, { text: 'How fast does ketamine work?', clientMessageId: 'm-1' });
    expect(first.type).toBe('answer');
    const resent = await ask(socket, { text: 'I want to end my life tonight', clientMessageId: 'm-1', ...access(first) });
    expect(resent).toMatchObject({ type: 'crisis', flagged: true });
    expect(await running.app.get(EscalationService).openFlagId(first.conversationId)).toEqual(expect.any(String));
    // The true resend (same id, same text) still gets its earlier reply.
    const again = await ask(socket, { text: 'I want to end my life tonight', clientMessageId: 'm-1', ...access(first) });
    expect(again.type).toBe('crisis');
    socket.close();
  });

  it('gives the crisis resources with every refusal of a message in distress or in a flagged conversation', async () => {
    const socket = await connectVisitor(running.url);
    const first = await ask(socket, { text: 'What is KAP?' });
    for (let i = 0; i < 5; i++) await ask(socket, { text: 'Is it safe?', ...access(first) });
    // Over the limit: an ordinary question is refused without resources...
    expect(await ask(socket, { text: 'How much does it cost?', ...access(first) })).toEqual({
      error: { code: 'rate_limited', message: expect.any(String) },
    });
    // ...a message in distress is refused with them...
    const distressed = await ask(socket, { text: "I feel so hopeless, nothing helps and I'm exhausted", ...access(first) });
    expect(distressed).toMatchObject({ error: { code: 'rate_limited' } });
    expect(distressed.resources.map((r: { href: string }) => r.href)).toEqual(expect.arrayContaining(['tel:988']));
    // ...and a crisis is never refused.
    expect((await ask(socket, { text: 'I want to kill myself', ...access(first) })).type).toBe('crisis');
    // Now the conversation is flagged: every refusal in it carries the resources.
    const refused = await ask(socket, { text: 'How long is a session?', ...access(first) });
    expect(refused).toMatchObject({ error: { code: 'rate_limited' }, resources: expect.any(Array) });
    // An invalid payload in distress gets them too.
    const other = await connectVisitor(running.url);
    const invalid = await ask(other, { text: `I feel hopeless and worthless ${'.'.repeat(1200)}` });
    expect(invalid).toMatchObject({ error: { code: 'invalid_message' }, resources: expect.any(Array) });
    socket.close();
    other.close();
  });

  it('screens the whole text of a payload the transport accepts, however long, before refusing it', async () => {
    const socket = await connectVisitor(running.url);
    // About 60,000 characters: far past the 1,000 a message may have and the 20,000 the screen once read.
    const text = `${'I have been reading about treatment options and costs. '.repeat(1080)} I am going to kill myself tonight`;
    expect(text.length).toBeGreaterThan(59_000);
    const reply = await ask(socket, { text });
    expect(reply).toMatchObject({ type: 'crisis', crisisKind: 'imminent' });
    socket.close();
  });
});
