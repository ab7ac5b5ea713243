import type { Socket } from 'socket.io-client';
import { Lifecycle } from '../src/lifecycle/lifecycle.js';
import { ConnectionGate } from '../src/realtime/connection-gate.js';
import { ask, connectVisitor, startApp, type RunningApp } from './support/app.js';
import { until } from './support/staff.js';

const TOKEN = 'a-metrics-token-for-tests';
const MAX_PER_ADDRESS = 3;

/** Health probes, Prometheus metrics, per-address connection limits and the transport's size limit. */
describe('operations (real app)', () => {
  let running: RunningApp;
  const sockets: Socket[] = [];
  /** A visitor behind the trusted proxy (loopback) at `address`. */
  const visitorAt = async (address: string) => {
    const socket = await connectVisitor(running.url, { extraHeaders: { 'x-forwarded-for': address } });
    sockets.push(socket);
    return socket;
  };
  const scrape = (token?: string) =>
    fetch(`${running.url}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  /** One sample's value from Prometheus' text format. */
  const sample = (text: string, series: string) => {
    const line = text.split('\n').find((l) => l.startsWith(`${series} `));
    return line ? Number(line.slice(series.length + 1)) : undefined;
  };

  beforeAll(async () => {
    running = await startApp({ METRICS_TOKEN: TOKEN, MAX_CONNECTIONS_PER_ADDRESS: String(MAX_PER_ADDRESS), TRUST_PROXY: 'loopback' });
  });
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.close();
  });
  afterAll(async () => {
    await running.close();
  });

  it('answers /health/live, and /health/ready with the crisis replies, answers, corpus and store', async () => {
    const live = await fetch(`${running.url}/health/live`);
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${running.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ready',
      draining: false,
      crisisReplies: { ok: true },
      answers: { ok: true },
      corpus: { entries: 102 },
      dependencies: { store: { ok: true, journalPending: 0 } },
    });
  });

  it('serves /metrics only with the bearer token, counting messages by type and risk, flags, latency and connections', async () => {
    expect((await scrape()).status).toBe(401);
    expect((await scrape('not-the-metrics-token-at-all')).status).toBe(401);

    const visitor = await visitorAt('198.51.100.1');
    expect((await ask(visitor, { text: 'I want to kill myself' })).type).toBe('crisis');
    expect((await ask(await visitorAt('198.51.100.2'), { text: 'What is ketamine-assisted psychotherapy?' })).type).toBe('answer');
    expect((await ask(await visitorAt('198.51.100.3'), { text: 'Do you sell bicycles?' })).type).toBe('fallback');

    const res = await scrape(TOKEN);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(sample(text, 'kap_messages_total{type="crisis",risk="crisis"}')).toBe(1);
    expect(sample(text, 'kap_messages_total{type="answer",risk="none"}')).toBe(1);
    expect(sample(text, 'kap_messages_total{type="fallback",risk="none"}')).toBe(1);
    expect(sample(text, 'kap_open_flags')).toBe(1);
    expect(sample(text, 'kap_outbox_backlog{status="failed"}')).toBe(0);
    expect(sample(text, 'kap_connections{namespace="/chat"}')).toBe(3);
    expect(sample(text, 'kap_socket_request_duration_seconds_count{namespace="/chat",event="message"}')).toBe(3);
    expect(sample(text, 'kap_live_conversations')).toBe(3);
    // Node's own: CPU, memory, event loop lag.
    expect(sample(text, 'process_cpu_seconds_total')).toBeGreaterThan(0);
  });

  it('limits open connections per client address (TRUST_PROXY-aware), and frees a place when one closes', async () => {
    const gate = running.app.get(ConnectionGate);
    const address = '203.0.113.10';
    const first = [];
    for (let i = 0; i < MAX_PER_ADDRESS; i++) first.push(await visitorAt(address));
    await until(() => gate.openFrom(address) === MAX_PER_ADDRESS, 5000, 'connections counted');
    const refused = await visitorAt(address).then(
      () => null,
      (err: Error) => err,
    );
    expect(refused?.message).toMatch(/websocket error/);
    // Another address is not affected, and the refused address still gets answers on its open connections.
    expect((await ask(await visitorAt('203.0.113.11'), { text: 'What is KAP?' })).type).toBe('answer');
    expect((await ask(first[0], { text: 'What is KAP?' })).type).toBe('answer');

    first[0].close();
    await until(() => gate.openFrom(address) === MAX_PER_ADDRESS - 1, 5000, 'a closed connection uncounted');
    expect((await visitorAt(address)).connected).toBe(true);
  });

  it('refuses the handshake over HTTP long-polling too, saying why', async () => {
    const address = '203.0.113.20';
    for (let i = 0; i < MAX_PER_ADDRESS; i++) await visitorAt(address);
    await until(() => running.app.get(ConnectionGate).openFrom(address) === MAX_PER_ADDRESS, 5000, 'connections counted');
    const res = await fetch(`${running.url}/socket.io/?EIO=4&transport=polling`, { headers: { 'x-forwarded-for': address } });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ message: 'too many connections from this address' });
  });

  it('screens a long message under the transport limit, and closes only the connection that sends more', async () => {
    const socket = await visitorAt('192.0.2.1');
    // 30,000 characters: over the message limit, under the transport's 64 KB, and still screened.
    const long = await ask(socket, { text: `${'I feel tired of everything. '.repeat(1000)} I want to kill myself.` });
    expect(long.type).toBe('crisis');
    const closed = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    socket.emit('message', { text: 'x'.repeat(70 * 1024) });
    expect(await closed).toMatch(/transport (close|error)/);
    // The server is fine: a new connection gets answers.
    expect((await ask(await visitorAt('192.0.2.1'), { text: 'What is KAP?' })).type).toBe('answer');
  });

  it('turns not-ready and refuses new connections while draining, still answering open ones', async () => {
    const open = await visitorAt('192.0.2.50');
    running.app.get(Lifecycle).startDraining();
    const ready = await fetch(`${running.url}/health/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'not-ready', draining: true, crisisReplies: { ok: true } });
    expect((await fetch(`${running.url}/health/live`)).status).toBe(200);
    await expect(visitorAt('192.0.2.51')).rejects.toThrow(/websocket error/);
    expect((await ask(open, { text: 'I want to kill myself' })).type).toBe('crisis');
  });
});
