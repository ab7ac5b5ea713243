import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { AuditLog } from '../src/escalation/audit-log.js';
import { EscalationService } from '../src/escalation/escalation.service.js';
import { OutboxRepository } from '../src/escalation/outbox.repository.js';
import { verifyWebhook } from '../src/escalation/webhook-signature.js';
import { StaffService } from '../src/staff/staff.service.js';
import { StorageService } from '../src/storage/storage.service.js';
import { access, ask, connectVisitor, startApp, type RunningApp } from './support/app.js';
import { until } from './support/staff.js';
import { freePort, next, WebhookReceiver } from './support/webhook.js';

const SECRET = 'test-paging-secret-0123456789';
const ESCALATION_SECRET = 'test-escalation-secret-0123456789';
const PASSWORD = 'a long test password';

describe('crisis escalation: flags, on-call consoles, paging, handoff (real app)', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'kap-escalation-'));
  let primary: WebhookReceiver;
  let secondary: WebhookReceiver;
  let running: RunningApp;
  const sockets: Socket[] = [];

  const boot = async () => {
    running = await startApp({
      DATA_DIR: dataDir,
      PAGING_WEBHOOK_URL: primary.url,
      PAGING_WEBHOOK_SECRET: SECRET,
      ESCALATION_WEBHOOK_URL: secondary.url,
      ESCALATION_WEBHOOK_SECRET: ESCALATION_SECRET,
      ESCALATION_MINUTES: '0.05', // 3 seconds
      OUTBOX_POLL_MS: '100',
      WEBHOOK_RETRY_BASE_MS: '100',
      WEBHOOK_RETRY_MAX_MS: '400',
      CONSOLE_URL: 'https://console.example.org',
    });
  };

  const login = async (email: string) => {
    const res = await fetch(`${running.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: PASSWORD }),
    });
    return { status: res.status, body: await res.json(), cookie: res.headers.get('set-cookie') };
  };

  const connectStaff = async (email = 'oncall@example.org'): Promise<Socket> => {
    const { body } = await login(email);
    const socket = io(`${running.url}/staff`, { transports: ['websocket'], reconnection: false, auth: { token: body.token } });
    sockets.push(socket);
    await next(socket, 'connect');
    return socket;
  };

  const visitor = async () => {
    const socket = await connectVisitor(running.url);
    sockets.push(socket);
    return socket;
  };

  beforeAll(async () => {
    primary = new WebhookReceiver(await freePort());
    secondary = new WebhookReceiver(await freePort());
    await secondary.start();
    // The primary receiver starts down: pages must wait for it, across a restart.
    await boot();
    const staff = running.app.get(StaffService);
    await staff.add('oncall@example.org', 'oncall', PASSWORD);
    await staff.add('editor@example.org', 'editor', PASSWORD);
  });

  afterEach(() => {
    for (const s of sockets.splice(0)) s.close();
  });

  afterAll(async () => {
    await running.close();
    await primary.stop();
    await secondary.stop();
  });

  it('signs staff in with a token and a secure cookie, and refuses a wrong password', async () => {
    const wrong = await fetch(`${running.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'oncall@example.org', password: 'not the password' }),
    });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ error: { code: 'invalid_credentials', message: expect.any(String) } });

    const ok = await login('oncall@example.org');
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ token: expect.any(String), expiresAt: expect.any(String), role: 'oncall' });
    expect(ok.cookie).toMatch(/kap_staff=.+; .*HttpOnly/i);
    expect(ok.cookie).toMatch(/SameSite=Strict/i);
  });

  it('refuses /staff to a visitor without a token and to staff without the on-call role', async () => {
    const anonymous = io(`${running.url}/staff`, { transports: ['websocket'], reconnection: false });
    sockets.push(anonymous);
    expect((await next<Error>(anonymous, 'connect_error')).message).toBe('unauthorized');

    const { body } = await login('editor@example.org');
    const editor = io(`${running.url}/staff`, { transports: ['websocket'], reconnection: false, auth: { token: body.token } });
    sockets.push(editor);
    expect((await next<Error>(editor, 'connect_error')).message).toBe('forbidden');
  });

  it('sends a crisis to every on-call console at once, with its transcript, and tells the visitor staff were alerted', async () => {
    const consoleSocket = await connectStaff();
    const flagged = next(consoleSocket, 'flag:new');
    // The flag is stored before the visitor sees the reply; the reply follows live as a turn.
    const botTurn = new Promise<any>((resolve) =>
      consoleSocket.on('conversation:turn', (t) => t.turn.role === 'bot' && /911/.test(t.turn.text) && resolve(t)),
    );
    const v = await visitor();
    const first = await ask(v, { text: 'How fast does ketamine work?' });
    const crisis = await ask(v, { text: 'I have a plan to end my life tonight', ...access(first) });
    expect(crisis.type).toBe('crisis');
    expect(crisis.html).toMatch(/care team has been alerted/);
    expect(crisis.contactInvited).toBe(true);

    const flag = await flagged;
    expect(flag).toMatchObject({
      conversationId: first.conversationId,
      level: 'crisis',
      kind: 'imminent',
      status: 'open',
      createdAt: expect.any(String),
    });
    expect(flag.reason).toMatch(/^en:[a-z-]+:[a-z-]+/);
    // The queue gets the flag; its transcript comes on request, the assistant's replies included.
    expect(flag.transcript).toBeUndefined();
    const { transcript } = await consoleSocket.emitWithAck('flag:view', { id: flag.id });
    expect(transcript.map((t: { role: string; text: string }) => `${t.role}: ${t.text}`)).toEqual([
      'visitor: How fast does ketamine work?',
      expect.stringMatching(/^bot: /),
      'visitor: I have a plan to end my life tonight',
      expect.stringMatching(/^bot: .*911.*988/s),
    ]);
    expect(await botTurn).toMatchObject({
      conversationId: first.conversationId,
      turn: { role: 'bot', text: expect.stringMatching(/911.*988/s) },
    });
  });

  it('pages the webhook with a signed payload, after the receiver comes up, across a restart of the app', async () => {
    const v = await visitor();
    const crisis = await ask(v, { text: 'I want to kill myself' });
    const flagId = await running.app.get(EscalationService).openFlagId(crisis.conversationId);
    // Let a few deliveries fail while the receiver is down, then restart the app.
    const outbox = running.app.get(OutboxRepository);
    await until(
      async () => (await outbox.all()).some((o) => o.flag_id === flagId && o.attempts >= 2),
      10_000,
      'two failed attempts',
    );
    expect(primary.received).toHaveLength(0);
    await running.close();
    await primary.start();
    await boot();

    // Flags from one address are paged together (every visitor here is 127.0.0.1): one page lists them all.
    const hook = await primary.waitFor((h) => JSON.parse(h.body).flagIds.includes(flagId));
    const ok = verifyWebhook(
      SECRET,
      { timestamp: hook.headers['x-kap-timestamp'] as string, signature: hook.headers['x-kap-signature'] as string },
      hook.body,
    );
    expect(ok).toBe(true);
    expect(
      verifyWebhook(
        'some-other-secret-000000',
        { timestamp: hook.headers['x-kap-timestamp'] as string, signature: hook.headers['x-kap-signature'] as string },
        hook.body,
      ),
    ).toBe(false);
    const payload = JSON.parse(hook.body);
    expect(payload).toMatchObject({
      event: 'flag.new',
      // The most severe kind among the flags the page lists (the first test's flag was imminent).
      kind: 'imminent',
      consoleUrl: expect.stringMatching(/^https:\/\/console\.example\.org\/#flag=/),
      text: expect.any(String),
    });
    expect(hook.headers['idempotency-key']).toMatch(new RegExp(`^${payload.id}:primary:flag\\.new`));
    // The page tells where to look, never what the visitor wrote, nor the conversation (only the console
    // may open it: anyone who sees a page in a chat channel must not be able to reach the visitor).
    expect(hook.body).not.toMatch(/kill myself/);
    expect(hook.body).not.toContain(crisis.conversationId);
    // Delivered once, even though it was attempted several times: the store says delivered, so it is
    // never sent again.
    const delivered = await until(async () =>
      (await running.app.get(OutboxRepository).all()).find((o) => o.flag_id === flagId && o.status === 'delivered'),
    );
    expect(delivered.attempts).toBeGreaterThanOrEqual(2);
    expect(primary.received.filter((h) => JSON.parse(h.body).flagIds.includes(flagId))).toHaveLength(1);
  });

  it('escalates a flag nobody acknowledges in time, and not one that was acknowledged', async () => {
    const consoleSocket = await connectStaff();
    const v = await visitor();
    const ignored = await ask(v, { text: 'I want to die' });
    const other = await visitor();
    const seen = next(consoleSocket, 'flag:new');
    const handled = await ask(other, { text: "I've been cutting myself again" });
    const handledFlag = await seen;
    const ignoredFlagId = await running.app.get(EscalationService).openFlagId(ignored.conversationId);
    expect(await consoleSocket.emitWithAck('flag:acknowledge', { id: handledFlag.id })).toMatchObject({
      flag: { status: 'acknowledged' },
    });

    const hook = await secondary.waitFor((h) => JSON.parse(h.body).flagIds.includes(ignoredFlagId), 10_000);
    expect(JSON.parse(hook.body).event).toBe('flag.escalated');
    expect(
      verifyWebhook(
        ESCALATION_SECRET,
        { timestamp: hook.headers['x-kap-timestamp'] as string, signature: hook.headers['x-kap-signature'] as string },
        hook.body,
      ),
    ).toBe(true);
    // Both flags were due in the same pass: the acknowledged one was never escalated.
    expect(handled.type).toBe('crisis');
    expect(secondary.received.some((h) => JSON.parse(h.body).flagIds.includes(handledFlag.id))).toBe(false);
    expect(await running.app.get(EscalationService).view(handledFlag.id)).toMatchObject({ escalatedAt: null });
  });

  it('hands a conversation to a person and back, messages travelling both ways', async () => {
    const consoleSocket = await connectStaff();
    const v = await visitor();
    const flagged = next(consoleSocket, 'flag:new');
    const crisis = await ask(v, { text: 'honestly i just want to be dead' });
    const flag = await flagged;

    const joinedNotice = next(v, 'staff:joined');
    expect(await consoleSocket.emitWithAck('conversation:join', { conversationId: flag.conversationId })).toEqual({ ok: true });
    expect((await joinedNotice).text).toMatch(/care team has joined/);

    const fromStaff = next(v, 'staff:message');
    await consoleSocket.emitWithAck('conversation:message', {
      conversationId: flag.conversationId,
      text: 'Hi, I am Sam from the care team. Are you safe right now?',
    });
    expect(await fromStaff).toMatchObject({
      conversationId: crisis.conversationId,
      text: 'Hi, I am Sam from the care team. Are you safe right now?',
    });

    const toStaff = new Promise((resolve) =>
      consoleSocket.on('conversation:turn', (t) => t.turn.role === 'visitor' && resolve(t)),
    );
    const relayed = await ask(v, { text: 'yes, I am at home with my sister', ...access(crisis) });
    expect(relayed).toMatchObject({ type: 'relayed', staffPresent: true, flagged: true });
    expect(await toStaff).toMatchObject({
      conversationId: crisis.conversationId,
      turn: { role: 'visitor', text: 'yes, I am at home with my sister' },
    });

    const left = next(v, 'staff:left');
    await consoleSocket.emitWithAck('conversation:leave', { conversationId: flag.conversationId });
    await left;
    const back = await ask(v, { text: 'How much does KAP cost?', ...access(crisis) });
    expect(back).toMatchObject({ type: 'answer', staffPresent: false, flagged: true });
    expect(back.resources.map((r: { href: string }) => r.href)).toContain('tel:988');
  });

  it('writes every view and action to the append-only audit log', async () => {
    const consoleSocket = await connectStaff();
    const flagged = next(consoleSocket, 'flag:new');
    const v = await visitor();
    await ask(v, { text: 'my brother says he wants to kill himself' });
    const flag = await flagged;
    expect((await consoleSocket.emitWithAck('flags:list')).flags.map((f: { id: string }) => f.id)).toContain(flag.id);
    expect((await consoleSocket.emitWithAck('flag:view', { id: flag.id })).flag.kind).toBe('third-party');
    await consoleSocket.emitWithAck('flag:acknowledge', { id: flag.id });
    expect(await consoleSocket.emitWithAck('flag:resolve', { id: flag.id, note: '' })).toEqual({
      error: { code: 'invalid_request', message: expect.any(String) },
    });
    await consoleSocket.emitWithAck('flag:resolve', { id: flag.id, note: 'Called the visitor; safe with family.' });
    expect(await consoleSocket.emitWithAck('flag:view', { id: 'no-such-flag' })).toEqual({
      error: { code: 'not_found', message: expect.any(String) },
    });

    const audit = running.app.get(AuditLog);
    expect((await audit.entries({ flagId: flag.id })).map((e) => e.action)).toEqual([
      'flag.view',
      'flag.acknowledge',
      'flag.resolve',
    ]);
    const db = running.app.get(StorageService).db;
    // Compare messages, not classes: a native module's errors can come from another Jest realm.
    const failure = (p: Promise<unknown>) =>
      p.then(
        () => 'no error',
        (e: Error) => e.message,
      );
    expect(await failure(db.deleteFrom('audit_log').where('flag_id', '=', flag.id).execute())).toMatch(/append-only/);
    expect(
      await failure(db.updateTable('audit_log').set({ action: 'flag.view' }).where('flag_id', '=', flag.id).execute()),
    ).toMatch(/append-only/);
    expect(await audit.entries({ flagId: flag.id })).toHaveLength(3);
  });

  it('keeps a flagged conversation across a restart: the widget resumes it flagged', async () => {
    const v = await visitor();
    const crisis = await ask(v, { text: 'I feel suicidal' });
    await running.close();
    await boot();
    const again = await visitor();
    const resumed = await again.timeout(15000).emitWithAck('resume', access(crisis));
    expect(resumed).toMatchObject({ conversationId: crisis.conversationId, flagged: true, staffPresent: false });
    // The assistant's replies come back too, the crisis reply with its resources.
    expect(resumed.turns.map((t: { role: string }) => t.role)).toEqual(['visitor', 'bot']);
    expect(resumed.turns[1].reply).toMatchObject({
      type: 'crisis',
      resources: expect.arrayContaining([expect.objectContaining({ href: 'tel:988' })]),
    });
    const next = await ask(again, { text: 'what do I do now', ...access(crisis) });
    expect(next).toMatchObject({ conversationId: crisis.conversationId, type: 'crisis', flagged: true });
  });
});
