// Two instances of the built server (child processes running dist/main.js) sharing one PostgreSQL and one
// Redis, started once per test run by test/global-setup.mjs; then the faults: Redis stopped and started
// again (it loses everything), PostgreSQL unreachable and back (through a proxy, so other test files keep
// the shared server). Without those servers this file is skipped, loudly; with KAP_REQUIRE_SCALE_TESTS=1
// (CI) it fails instead.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { Redis } from 'ioredis';
import type { Socket } from 'socket.io-client';
import type { AppConfig } from '../src/config/app-config.js';
import { StaffService } from '../src/staff/staff.service.js';
import { StorageService } from '../src/storage/storage.service.js';
import { access, ask, connectVisitor } from './support/app.js';
import { smallKnowledge, staffApi } from './support/corpus.js';
import { startInstance, type Instance } from './support/instances.js';
import { freshDatabase } from './support/postgres.js';
import { connectConsole, signIn, STAFF_PASSWORD, until } from './support/staff.js';
import { TcpProxy } from './support/tcp-proxy.js';
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
  let database: TcpProxy;
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

    // The instances reach PostgreSQL through a proxy the PostgreSQL fault test cuts.
    const target = new URL(databaseUrl);
    database = new TcpProxy(target.hostname, Number(target.port));
    await database.start();
    const env = {
      DATABASE_URL: database.through(databaseUrl),
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
    // KAP_DEBUG_LOGS=file keeps both instances' whole output, to read after a failure.
    if (process.env.KAP_DEBUG_LOGS) (await import('node:fs')).writeFileSync(process.env.KAP_DEBUG_LOGS, `--- a ---\n${a?.log}\n--- b ---\n${b?.log}`);
    for (const s of sockets) s.close();
    await Promise.all([a?.stop(), b?.stop()]);
    await hooks.stop();
    await database?.cut();
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

  it('recovers a visitor whose connection to A drops and comes back on B, with what was sent meanwhile', async () => {
    // The visitor reaches the instances through a proxy, as through a load balancer that moves it to B.
    const front = new TcpProxy('127.0.0.1', Number(new URL(a.url).port));
    await front.start();
    try {
      const visitorSocket = track(
        await connectVisitor(`http://127.0.0.1:${front.port}`, {
          reconnection: true,
          reconnectionDelay: 50,
          extraHeaders: { 'x-forwarded-for': `198.51.100.${nextAddress++}` },
        }),
      );
      const crisis = await ask(visitorSocket, { text: 'I want to end my life' });
      expect(crisis.type).toBe('crisis');
      const console = track(await connectConsole(b.url, 'oncall@example.org'));
      const joined = next(visitorSocket, 'staff:joined');
      await console.timeout(5000).emitWithAck('conversation:join', { conversationId: crisis.conversationId });
      await joined;

      const dropped = next(visitorSocket, 'disconnect');
      await front.cut();
      await dropped;
      // Sent while the visitor is away.
      await console.timeout(5000).emitWithAck('conversation:message', { conversationId: crisis.conversationId, text: 'Are you still there?' });
      const said = next<{ text: string }>(visitorSocket, 'staff:message');
      const back = next(visitorSocket, 'connect', 10_000);
      await front.restore(Number(new URL(b.url).port));
      await back;
      expect(visitorSocket.recovered).toBe(true);
      expect((await said).text).toBe('Are you still there?');
    } finally {
      await front.cut();
    }
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
    const adminB = staffApi(b.url, (await signIn(b.url, 'admin@example.org')).body.token);
    const { entry, revision } = (await admin.get('/entries/driving-after')).body;
    const saved = await admin.put('/entries/driving-after/draft', {
      entry: { ...entry, body: `${entry.body}\n\nNarwhal reminder: arrange your ride home before the visit.` },
      baseRevision: revision,
    });
    expect(saved.status).toBe(200);
    const published = await admin.post('/entries/driving-after/publish', { revision: saved.body.revision, confirm: true });
    expect(published.status).toBe(200);
    const publishedAt = Date.now();
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

  it('pages one address at most once per fold window, whichever instances its flags reach', async () => {
    hooks.status = 200;
    const from = { extraHeaders: { 'x-forwarded-for': '203.0.113.77' } };
    const [onA, onB] = await Promise.all([connectVisitor(a.url, from).then(track), connectVisitor(b.url, from).then(track)]);
    // Both at once: each instance would page at once if it only knew its own pages.
    const replies = await Promise.all([ask(onA, { text: 'I am going to kill myself' }), ask(onB, { text: 'I want to end my life tonight' })]);
    expect(replies.map((r) => r.type)).toEqual(['crisis', 'crisis']);
    const flagIds = await Promise.all(
      replies.map(async (r) => {
        const { flags } = await (await connectConsole(a.url, 'oncall@example.org').then(track)).timeout(5000).emitWithAck('flags:list');
        return (flags as Array<{ id: string; conversationId: string }>).find((f) => f.conversationId === r.conversationId)!.id;
      }),
    );
    const pages = () => hooks.received.filter((h) => h.answered === 200 && flagIds.some((id) => JSON.parse(h.body).flagIds.includes(id)));
    await until(() => new Set(pages().flatMap((h) => JSON.parse(h.body).flagIds as string[])).size === 2, 10_000, 'both flags paged');
    const [first, second] = pages();
    // One page for both, or a second one only after the window (PAGING_FOLD_SECONDS=1).
    if (second) expect(second.at - first.at).toBeGreaterThanOrEqual(900);
  });

  describe('faults: each recovers by itself, with nothing lost', () => {
    const redisUrl = process.env.KAP_TEST_REDIS_URL!;
    const health = async (i: Instance) => (await fetch(`${i.url}/health`)).json();
    const pagedFlagIds = () => hooks.received.filter((h) => h.answered === 200).flatMap((h) => JSON.parse(h.body).flagIds as string[]);

    /** Redis goes down for real (SHUTDOWN NOSAVE: everything it held is lost), then starts again. */
    const stopRedis = async () => {
      const client = new Redis(redisUrl, { maxRetriesPerRequest: 0, retryStrategy: () => null });
      await client.call('SHUTDOWN', 'NOSAVE').catch(() => undefined);
      client.disconnect();
    };
    const startRedis = async () => {
      const [program, ...args] = JSON.parse(process.env.KAP_TEST_REDIS_COMMAND!) as string[];
      const started = spawnSync(program, args, { encoding: 'utf8' });
      if (started.status !== 0) throw new Error(`redis-server did not start again: ${started.stderr}`);
    };

    it('Redis down: visitors are answered, crises included, and paged; back: instances share again by themselves', async () => {
      hooks.status = 200;
      const consoleOnB = track(await connectConsole(b.url, 'oncall@example.org'));
      const shownOnB: string[] = [];
      consoleOnB.on('flag:new', (f: { conversationId: string }) => shownOnB.push(f.conversationId));
      let begun: Record<string, any> = {};
      let crisis: Record<string, any> = {};
      await stopRedis();
      try {
        // Answers and crisis replies go on, promptly, on both instances.
        const started = Date.now();
        crisis = await ask(await visitor(a), { text: 'I am going to end my life tonight' });
        expect(crisis.type).toBe('crisis');
        expect(Date.now() - started).toBeLessThan(3_000);
        const answer = await ask(await visitor(b), { text: 'What is ketamine-assisted psychotherapy?' });
        expect(answer.type).toBe('answer');
        // A thought begun on A now ends on B once Redis is back (below).
        begun = await ask(await visitor(a), { text: 'I want to' });
        expect(begun.type).not.toBe('crisis');
        // The flag is stored and paged (both in PostgreSQL).
        const flagsBefore = await consoleOnB.timeout(5000).emitWithAck('flags:list');
        const outageFlag = (flagsBefore.flags as Array<{ id: string; conversationId: string }>).find((f) => f.conversationId === crisis.conversationId);
        expect(outageFlag).toBeDefined();
        await hooks.waitFor((h) => h.answered === 200 && JSON.parse(h.body).flagIds.includes(outageFlag!.id));
      } finally {
        await startRedis();
      }
      // Back: without a restart, a flag on A reaches the console on B again, and a thought split over
      // both instances is read whole again.
      // Both instances reconnected by themselves: each has said it is alive again (its heartbeat key).
      const redis = new Redis(redisUrl);
      try {
        await until(async () => (await redis.keys('kap:node:*')).length === 2, 15_000, 'both instances back on Redis');
      } finally {
        redis.disconnect();
      }
      // Each has shared again the conversations it went on with meanwhile.
      for (const i of [a, b]) await until(() => /Redis is back: \d+ live conversation/.test(i.log), 10_000, `${i.name} sharing again`);
      // The flag raised meanwhile is sent to every console again (B's had no way to get it live).
      await until(() => shownOnB.includes(crisis.conversationId), 10_000, 'the outage flag shown on B');
      await until(() => /Redis is back: \d+ flag\(s\) raised or changed meanwhile sent to every console again/.test(a.log), 5_000, 'A sending it again');
      const after = await ask(await visitor(a), { text: 'I want to kill myself' });
      expect(after.type).toBe('crisis');
      await until(() => shownOnB.includes(after.conversationId), 15_000, 'the new flag shown on B');
      const ended = await ask(await visitor(b), { text: 'die', ...access(begun) });
      expect(ended).toMatchObject({ conversationId: begun.conversationId, type: 'crisis' });
    }, 60_000);

    it('PostgreSQL down: crisis replies, flags shown and paged from memory; back: the flags are stored, paged once', async () => {
      hooks.status = 200;
      const consoleOnB = track(await connectConsole(b.url, 'oncall@example.org'));
      const visitorOnA = await visitor(a);
      const before = await ask(visitorOnA, { text: 'What is ketamine-assisted psychotherapy?' });
      expect(before.type).toBe('answer');
      await database.cut();
      let flagId: string;
      try {
        const flagged = next<{ id: string; conversationId: string; stored: boolean }>(consoleOnB, 'flag:new');
        const crisis = await ask(visitorOnA, { text: 'I have the pills in my hand right now', ...access(before) });
        expect(crisis).toMatchObject({ type: 'crisis', conversationId: before.conversationId });
        // Raised on A, shown on B at once, not stored yet, and paged from A's memory.
        const flag = await flagged;
        expect(flag).toMatchObject({ conversationId: before.conversationId, stored: false });
        flagId = flag.id;
        await hooks.waitFor((h) => h.answered === 200 && JSON.parse(h.body).flagIds.includes(flagId));
        // Ordinary questions are answered from the corpus in memory.
        expect((await ask(await visitor(b), { text: 'What is ketamine-assisted psychotherapy?' })).type).toBe('answer');
        expect(await health(a)).toMatchObject({ store: { ok: false } });
      } finally {
        await database.restore();
      }
      // Back: A's journal is replayed by itself; the flag is stored, visible from B, paged exactly once.
      await until(async () => (await health(a)).store?.journalPending === 0, 20_000, 'A’s journal replayed');
      const { flags } = await consoleOnB.timeout(5000).emitWithAck('flags:list');
      expect(flags).toEqual(expect.arrayContaining([expect.objectContaining({ id: flagId!, stored: true })]));
      const view = await consoleOnB.timeout(5000).emitWithAck('flag:view', { id: flagId! });
      expect(view.transcript.map((t: { role: string }) => t.role)).toEqual(['visitor', 'bot', 'visitor', 'bot']);
      // Time for a second page to show up, were one going to.
      await new Promise((r) => setTimeout(r, 500));
      expect(pagedFlagIds().filter((id) => id === flagId!)).toHaveLength(1);
    }, 60_000);
  });
});
