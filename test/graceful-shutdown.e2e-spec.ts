import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { io, type Socket } from 'socket.io-client';
import { startChild, type ChildApp } from './support/child.js';
import { until } from './support/staff.js';
import { freePort, WebhookReceiver } from './support/webhook.js';

const CLIENTS = 10;
const SECRET = 'a-test-secret-of-16+chars';

interface Acknowledged {
  conversationId: string;
  text: string;
  type: string;
  at: number;
}

/**
 * Visitors who send crisis messages one after another, each in a new conversation, until their
 * connection closes. Every acknowledgement is kept, and every error reply.
 */
function crisisLoad(url: string) {
  const acknowledged: Acknowledged[] = [];
  const errors: unknown[] = [];
  const sockets: Socket[] = [];
  let stop: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  const loops = Array.from({ length: CLIENTS }, async (_, visitor) => {
    const socket = io(`${url}/chat`, { transports: ['websocket'], reconnection: false });
    sockets.push(socket);
    await Promise.race([new Promise((resolve, reject) => socket.once('connect', () => resolve(undefined)).once('connect_error', reject)), stopped]);
    for (let n = 0; socket.connected; n++) {
      const text = `I want to kill myself tonight (visitor ${visitor}, message ${n})`;
      const reply = (await socket
        .timeout(10_000)
        .emitWithAck('message', { text })
        .catch(() => null)) as Record<string, any> | null;
      // No reply: the connection closed before this message was answered (it was never acknowledged).
      if (!reply) continue;
      if (reply.error) errors.push(reply.error);
      else acknowledged.push({ conversationId: reply.conversationId, text, type: reply.type, at: Date.now() });
    }
  });
  const close = () => {
    stop();
    for (const socket of sockets) socket.close();
  };
  return { acknowledged, errors, done: Promise.all(loops), close };
}

/**
 * Issue 13: SIGTERM under load stops accepting, lets the replies in flight go out, closes the store; the
 * restarted server has a flag and the visitor's message for every crisis message that was acknowledged.
 */
describe('graceful shutdown under load (the built server)', () => {
  let pager: WebhookReceiver;
  let server: ChildApp | null = null;

  beforeAll(async () => {
    pager = new WebhookReceiver(await freePort());
    await pager.start();
  });
  afterAll(async () => {
    await server?.stop('SIGKILL');
    await pager.stop();
  });

  it('loses no flag and no acknowledged message across a restart, and nothing errors', async () => {
    const env = { PAGING_WEBHOOK_URL: pager.url, PAGING_WEBHOOK_SECRET: SECRET, OUTBOX_POLL_MS: '200', PAGING_FOLD_SECONDS: '1' };
    server = await startChild(env);
    const { dataDir } = server;
    const load = crisisLoad(server.url);
    await until(() => load.acknowledged.length >= 40, 20_000, '40 crisis replies');
    const exitCode = await Promise.race([server.stop('SIGTERM'), new Promise((r) => setTimeout(() => r('timeout'), 20_000))]);
    await load.done;

    expect(exitCode).toBe(0);
    expect(load.errors).toEqual([]);
    expect(load.acknowledged.every((a) => a.type === 'crisis')).toBe(true);
    const logs = server.logs;
    expect(logs.filter((l) => ['error', 'fatal', 'unparsed'].includes(l.level))).toEqual([]);
    // The replies being composed when the signal came went out before the connections closed. (With the
    // embedded store a reply is composed within one turn of the event loop, so there is seldom any.)
    const shutdownLine = logs.find((l) => /^SIGTERM: shutting down/.test(l.msg ?? ''))!;
    const inFlight = Number(/(\d+) request/.exec(shutdownLine.msg!)![1]);
    const drainedAfter = load.acknowledged.filter((a) => a.at >= Date.parse(shutdownLine.time as string)).length;
    if (inFlight > 0) expect(drainedAfter).toBeGreaterThan(0);
    expect(logs.find((l) => l.msg === 'drained: closing the store')).toBeDefined();
    process.stdout.write(
      `graceful shutdown: ${load.acknowledged.length} crisis replies, ${inFlight} in flight at SIGTERM, ${drainedAfter} acknowledged while draining\n`,
    );

    // The same data folder, restarted: every acknowledged crisis has its flag and its message.
    server = await startChild({ ...env, DATA_DIR: dataDir });
    const restarted = server;
    await until(async () => (await (await fetch(`${restarted.url}/health/ready`)).json()).dependencies.store.journalPending === 0);
    const db = new Sqlite(path.join(dataDir, 'kap.sqlite'), { readonly: true });
    try {
      const flagged = new Set(db.prepare('SELECT conversation_id FROM flags').all().map((r: any) => r.conversation_id as string));
      const said = new Set(
        db
          .prepare("SELECT conversation_id, text FROM transcript_turns WHERE role = 'visitor'")
          .all()
          .map((r: any) => `${r.conversation_id}:${r.text}`),
      );
      const missingFlags = load.acknowledged.filter((a) => !flagged.has(a.conversationId));
      const missingMessages = load.acknowledged.filter((a) => !said.has(`${a.conversationId}:${a.text}`));
      expect(missingFlags).toEqual([]);
      expect(missingMessages).toEqual([]);
    } finally {
      db.close();
    }

    // And it answers again.
    const again = crisisLoad(restarted.url);
    await until(() => again.acknowledged.length >= 5, 10_000, 'replies after the restart');
    again.close();
    await again.done;
    expect(again.errors).toEqual([]);
    expect(await restarted.stop('SIGINT')).toBe(0);
    server = null;
  }, 90_000);
});
