import type { Socket } from 'socket.io-client';
import { StaffService } from '../src/staff/staff.service.js';
import { access, ask, connectVisitor, startApp, type RunningApp } from './support/app.js';

describe('chat over socket.io (real app)', () => {
  let running: RunningApp;
  let socket: Socket;

  beforeAll(async () => {
    running = await startApp({ CLINIC_NAME: 'Test Clinic', CLINIC_PHONE: '+1 555 010 0000' });
  });
  afterAll(() => running.close());
  beforeEach(async () => {
    socket = await connectVisitor(running.url);
  });
  afterEach(() => socket.close());

  it('answers a question with a reviewed entry, its sources, evidence and the disclaimer', async () => {
    const reply = await ask(socket, { text: 'What are the side effects of ketamine?' });
    expect(reply).toMatchObject({ type: 'answer', risk: 'none', entryId: 'side-effects', flagged: false });
    expect(reply.conversationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(reply.question).toEqual(expect.any(String));
    expect(reply.html).toMatch(/^<p|^<ul|^<h/);
    expect(reply.sources.length).toBeGreaterThan(0);
    for (const source of reply.sources) expect(source.url).toMatch(/^https:\/\//);
    expect(reply.evidence).toEqual({ level: expect.any(String), label: expect.any(String), caveat: expect.any(String) });
    expect(reply.disclaimer).toMatch(/not medical advice/i);
    expect(reply.suggestions.length).toBeGreaterThan(0);
    expect(reply.suggestions.length).toBeLessThanOrEqual(3);
    expect(reply.resources).toEqual([]);
  });

  it('falls back politely on an off-topic question, offering the closest topics', async () => {
    const reply = await ask(socket, { text: 'How do I bake sourdough bread?' });
    expect(reply).toMatchObject({ type: 'fallback', entryId: null, question: null, sources: [], evidence: null });
    expect(reply.html).toContain('reviewed answer');
    expect(reply.html).toContain('Test Clinic');
  });

  it('answers a crisis with the crisis resources only, and keeps them visible afterwards', async () => {
    const crisis = await ask(socket, { text: "I've been thinking about ending my life" });
    expect(crisis).toMatchObject({
      type: 'crisis',
      risk: 'crisis',
      crisisKind: 'disclosure',
      entryId: null,
      sources: [],
      flagged: true,
    });
    const hrefs = crisis.resources.map((r: { href: string }) => r.href);
    expect(hrefs).toEqual(expect.arrayContaining(['tel:988', 'sms:988', 'tel:911', 'tel:+15550100000']));
    expect(crisis.html).toContain('988');
    expect(crisis.html).toContain('Are you safe right now?');
    // Nobody is paged in this configuration, so the reply neither claims it nor invites a contact.
    expect(crisis.html).not.toMatch(/alerted/);
    expect(crisis.contactInvited).toBe(false);

    const next = await ask(socket, { text: 'How much does KAP cost?', ...access(crisis) });
    expect(next).toMatchObject({ type: 'answer', conversationId: crisis.conversationId, flagged: true });
    expect(next.resources.map((r: { href: string }) => r.href)).toContain('tel:988');
  });

  it('lists 911 first when the danger is immediate', async () => {
    const reply = await ask(socket, { text: "I'm going to overdose tonight" });
    expect(reply.crisisKind).toBe('imminent');
    expect(reply.resources[0].href).toBe('tel:911');
  });

  it('adds a resources line to an answer when a message shows distress', async () => {
    const reply = await ask(socket, { text: 'I feel hopeless. How fast does ketamine work?' });
    expect(reply.risk).toBe('concern');
    expect(reply.type).not.toBe('crisis');
    expect(reply.html).toContain('988');
  });

  it('keeps a conversation by its id and issues a new id for an unknown one', async () => {
    const first = await ask(socket, { text: 'What is KAP?' });
    const second = await ask(socket, { text: 'Is it safe?', ...access(first) });
    expect(second.conversationId).toBe(first.conversationId);
    const stranger = await ask(socket, { text: 'What is KAP?', conversationId: 'made-up-id' });
    expect(stranger.conversationId).not.toBe('made-up-id');
  });

  it.each([
    ['10,000 characters', { text: 'a'.repeat(10_000) }],
    ['a number instead of text', { text: 42 }],
    ['an array', ['What is KAP?']],
    ['a bare number', 42],
    ['no text at all', { locale: 'en' }],
    ['an empty text', { text: '   ' }],
    ['an unknown locale', { text: 'What is KAP?', locale: 'fr' }],
  ])('answers %s with an error acknowledgement and stays usable', async (_name, payload) => {
    const reply = await ask(socket, payload);
    expect(reply).toEqual({ error: { code: 'invalid_message', message: expect.any(String) } });
    const next = await ask(socket, { text: 'What are the side effects of ketamine?' });
    expect(next.type).toBe('answer');
  });

  it('answers a message sent without a callback with an error event', async () => {
    const error = new Promise((resolve) => socket.once('error', resolve));
    socket.emit('message', { text: 'What is KAP?' });
    expect(await error).toEqual({ error: { code: 'invalid_message', message: expect.stringMatching(/acknowledgement/) } });
    expect((await ask(socket, { text: 'What is KAP?' })).type).toBe('answer');
  });

  it('still screens an over-long message, and answers a crisis in it with the crisis reply', async () => {
    const reply = await ask(socket, { text: `I want to kill myself. ${'please help '.repeat(200)}` });
    expect(reply.type).toBe('crisis');
  });

  it('serves /health with the corpus, the store, paging, and whether a flag would reach anyone', async () => {
    const health = async () => (await fetch(`${running.url}/health`)).json();
    const res = await fetch(`${running.url}/health`);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    // No webhook and no on-call account: a crisis flag would reach nobody, and /health says so.
    expect(await health()).toMatchObject({
      status: 'degraded',
      corpus: { version: expect.stringMatching(/^[0-9a-f]{12}$/), entries: 102 },
      store: { ok: true, journalPending: 0 },
      paging: { configured: false, failing: false },
      escalation: { reachesSomeone: false, webhook: false, onCallAccounts: 0 },
    });
    await running.app.get(StaffService).add('oncall@example.org', 'oncall', 'a long test password');
    expect(await health()).toMatchObject({ status: 'ok', escalation: { reachesSomeone: true, onCallAccounts: 1 } });
  });
});
