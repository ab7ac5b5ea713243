// Two instances of the built server (child processes running dist/main.js) sharing one PostgreSQL and one
// Redis, started once per test run by test/global-setup.mjs. Without those servers this file is skipped,
// loudly; with KAP_REQUIRE_SCALE_TESTS=1 (CI) it fails instead.
import { rmSync } from 'node:fs';
import type { Socket } from 'socket.io-client';
import type { AppConfig } from '../src/config/app-config.js';
import { StaffService } from '../src/staff/staff.service.js';
import { StorageService } from '../src/storage/storage.service.js';
import { access, ask, connectVisitor } from './support/app.js';
import { smallKnowledge, staffApi } from './support/corpus.js';
import { startInstance, type Instance } from './support/instances.js';
import { freshDatabase } from './support/postgres.js';
import { connectConsole, signIn, STAFF_PASSWORD, until } from './support/staff.js';
import { freePort, next, WebhookReceiver } from './support/webhook.js';

const servers = Boolean(process.env.KAP_TEST_DATABASE_URL && process.env.KAP_TEST_REDIS_URL);
if (!servers) {
  const message = 'SEVERAL-INSTANCE TESTS SKIPPED: no test PostgreSQL or Redis (see the banner above).';
  if (process.env.KAP_REQUIRE_SCALE_TESTS === '1') throw new Error(`${message} KAP_REQUIRE_SCALE_TESTS=1: a skip is a failure.`);
  console.warn(message);
}

const IDS = ['what-is-kap', 'side-effects', 'driving-after', 'insurance-cost', 'typical-costs', 'suicidal-thoughts-and-ketamine'];
const SECRET = 'several-instances-secret';

(servers ? describe : describe.skip)('several instances sharing PostgreSQL and Redis', () => {
  let a: Instance;
  let b: Instance;
  let knowledge: string;
  const hooks = new WebhookReceiver(0);
  const sockets: Socket[] = [];
  const track = <T extends Socket>(s: T): T => (sockets.push(s), s);
  /** A visitor from its own address (X-Forwarded-For through the trusted loopback proxy). */
  let nextAddress = 1;
  const visitor = (instance: Instance) =>
    connectVisitor(instance.url, { extraHeaders: { 'x-forwarded-for': `198.51.100.${nextAddress++}` } }).then(track);

  beforeAll(async () => {
    Object.assign(hooks, { port: await freePort() });
    await hooks.start();
    knowledge = smallKnowledge(IDS);
    const databaseUrl = await freshDatabase('kap_instances');
    // Accounts straight in the shared store, as `npm run staff` does.
    const values: Record<string, unknown> = { DATA_DIR: ':memory:', DATABASE_URL: databaseUrl, STAFF_TOKEN_TTL_MINUTES: 60 };
    const storage = new StorageService({ get: (k: string) => values[k] } as unknown as AppConfig);
    await storage.migrate();
    const staff = new StaffService(storage, { get: (k: string) => values[k] } as unknown as AppConfig);
    await staff.add('oncall@example.org', 'oncall', STAFF_PASSWORD);
    await staff.add('admin@example.org', 'admin', STAFF_PASSWORD);
    await storage.onApplicationShutdown();

    const env = {
      DATABASE_URL: databaseUrl,
      REDIS_URL: process.env.KAP_TEST_REDIS_URL!,
      KNOWLEDGE_DIR: knowledge,
      TRUST_PROXY: 'loopback',
      PAGING_WEBHOOK_URL: hooks.url,
      PAGING_WEBHOOK_SECRET: SECRET,
      OUTBOX_POLL_MS: '100',
      WEBHOOK_RETRY_BASE_MS: '20',
      WEBHOOK_RETRY_MAX_MS: '200',
      PAGING_FOLD_SECONDS: '1',
      NEW_CONVERSATIONS_PER_HOUR: '4',
    };
    // One after the other: the first applies the migrations and imports the baseline.
    a = await startInstance('a', env);
    b = await startInstance('b', env);
  }, 120_000);

  afterAll(async () => {
    for (const s of sockets) s.close();
    await Promise.all([a?.stop(), b?.stop()]);
    await hooks.stop();
    rmSync(knowledge, { recursive: true, force: true });
  });

  afterEach(() => {
    // A failure is easier to read with what the instances said.
    const state = expect.getState();
    const problems = (i: Instance) => i.log.split('\n').filter((l) => /ERROR|WARN/.test(l)).slice(-30).join('\n');
    if (state.assertionCalls > state.numPassingAsserts && a && b) console.log(`--- a ---\n${problems(a)}\n--- b ---\n${problems(b)}`);
  });

  it('a flag raised on A reaches an on-call console on B, and the visitor on A is told someone was alerted', async () => {
    const console = track(await connectConsole(b.url, 'oncall@example.org'));
    // A knows a console is open on B.
    await until(async () => (await (await fetch(`${a.url}/health`)).json()).escalation?.consolesOpen >= 1, 5_000, 'A counting B’s console');
    const flagged = next<{ id: string; conversationId: string }>(console, 'flag:new');
    const reply = await ask(await visitor(a), { text: 'I want to kill myself tonight' });
    expect(reply.type).toBe('crisis');
    expect(reply.contactInvited).toBe(true);
    expect((await flagged).conversationId).toBe(reply.conversationId);
  });

  it('a thought split over two messages, the first to A and the second to B, is read whole', async () => {
    const first = await ask(await visitor(a), { text: 'I want to' });
    expect(first.type).not.toBe('crisis');
    const second = await ask(await visitor(b), { text: 'die', ...access(first) });
    expect(second.conversationId).toBe(first.conversationId);
    expect(second.type).toBe('crisis');
    // The second part alone is not a crisis: B read the first part from the shared state.
    const alone = await ask(await visitor(b), { text: 'die' });
    expect(alone.type).not.toBe('crisis');
  });

  it('hands a visitor on A over to a care-team member on B and back', async () => {
    const console = track(await connectConsole(b.url, 'oncall@example.org'));
    const visitorSocket = await visitor(a);
    const crisis = await ask(visitorSocket, { text: 'I want to end my life' });
    expect(crisis.type).toBe('crisis');
    const { conversationId } = crisis;

    const joined = next(visitorSocket, 'staff:joined');
    expect(await console.timeout(5000).emitWithAck('conversation:join', { conversationId })).toEqual({ ok: true });
    expect(await joined).toMatchObject({ conversationId });

    const said = next(visitorSocket, 'staff:message');
    await console.timeout(5000).emitWithAck('conversation:message', { conversationId, text: 'I am here with you.' });
    expect(await said).toMatchObject({ conversationId, text: 'I am here with you.' });

    // The visitor's next message, on A, goes to the person on B.
    const received: Array<{ conversationId: string; turn: { text: string } }> = [];
    console.on('conversation:turn', (t) => received.push(t));
    const turn = until(() => received.find((t) => t.turn.text === 'thank you, can we talk?'), 5_000, 'the turn on B');
    const relayed = await ask(visitorSocket, { text: 'thank you, can we talk?', ...access(crisis) });
    expect(relayed).toMatchObject({ type: 'relayed', staffPresent: true });
    expect((await turn).conversationId).toBe(conversationId);

    const left = next(visitorSocket, 'staff:left');
    await console.timeout(5000).emitWithAck('conversation:leave', { conversationId });
    await left;
    const back = await ask(visitorSocket, { text: 'what is ketamine-assisted psychotherapy?', ...access(crisis) });
    expect(back.type).not.toBe('relayed');
    expect(back.staffPresent).toBe(false);
  });

  it('shares rate limits: new conversations from one address count on both instances together', async () => {
    const from = { extraHeaders: { 'x-forwarded-for': '203.0.113.9' } };
    const [onA, onB] = await Promise.all([connectVisitor(a.url, from).then(track), connectVisitor(b.url, from).then(track)]);
    // NEW_CONVERSATIONS_PER_HOUR=4: alternately on A and B, the fifth new conversation is refused on either.
    const outcomes: string[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await ask(i % 2 === 0 ? onA : onB, { text: 'what is kap?' });
      outcomes.push(r.error?.code ?? 'ok');
    }
    expect(outcomes).toEqual(['ok', 'ok', 'ok', 'ok', 'rate_limited', 'rate_limited']);
  });

  it('a corpus publish on A re-indexes B within a second', async () => {
    const admin = staffApi(a.url, (await signIn(a.url, 'admin@example.org')).body.token);
    const { entry, revision } = (await admin.get('/entries/driving-after')).body;
    const saved = await admin.put('/entries/driving-after/draft', {
      entry: { ...entry, body: `${entry.body}\n\nNarwhal reminder: arrange your ride home before the visit.` },
      baseRevision: revision,
    });
    expect(saved.status).toBe(200);
    const published = await admin.post('/entries/driving-after/publish', { revision: saved.body.revision, confirm: true });
    expect(published.status).toBe(200);
    const publishedAt = Date.now();
    const adminB = staffApi(b.url, (await signIn(b.url, 'admin@example.org')).body.token);
    await until(async () => (await adminB.get('/corpus')).body.version === published.body.corpusVersion, 5_000, 'B on the new corpus');
    expect(Date.now() - publishedAt).toBeLessThan(1_000);
    const onB = await ask(await visitor(b), { text: 'When is it safe to drive after a ketamine treatment?' });
    expect(onB.entryId).toBe('driving-after');
    expect(onB.html).toContain('Narwhal reminder');
  });

  it('works the outbox from both instances without delivering a page twice', async () => {
    hooks.status = 500;
    const start = hooks.received.length;
    // Flags raised on both instances while the receiver fails: both retry every page, competing for them.
    const raised: string[] = [];
    for (let i = 0; i < 12; i++) {
      const reply = await ask(await visitor(i % 2 === 0 ? a : b), { text: 'I am going to kill myself' });
      expect(reply.type).toBe('crisis');
      raised.push(reply.conversationId);
    }
    await until(() => hooks.received.length - start > 30, 10_000, 'failed attempts');
    hooks.status = 200;
    // Every flag's page delivered, exactly once.
    const delivered = () => hooks.received.slice(start).filter((h) => h.answered === 200);
    const flagIdsIn = (h: { body: string }) => (JSON.parse(h.body) as { flagIds: string[] }).flagIds;
    await until(() => delivered().flatMap(flagIdsIn).length >= raised.length, 15_000, 'every page delivered');
    // Time for a second delivery of any page to show up, if one were going to.
    await new Promise((r) => setTimeout(r, 500));
    const keys = delivered().map((h) => h.headers['idempotency-key']);
    expect(new Set(keys).size).toBe(keys.length);
    const flagIds = delivered().flatMap(flagIdsIn);
    expect(new Set(flagIds).size).toBe(flagIds.length);
    expect(flagIds.length).toBe(raised.length);
    // Both instances worked it.
    for (const instance of [a, b]) expect(instance.log).toMatch(/Page flag\.new for flag .* failed|Delivered flag\.new/);
  });
});
