/**
 * One load-generating process of the end-to-end benchmark (several run at once, pinned away from the
 * server's core where taskset exists). Driven over IPC by end-to-end.ts; each command answers with
 * `{ type: 'done', ... }`. Visitors are socket.io clients on /chat (WebSocket only) that continue their
 * conversation as the widget does (conversationId and resumeToken from the last reply).
 */
import { io, type Socket } from 'socket.io-client';

export type ClientCommand =
  | { cmd: 'connect'; url: string; count: number }
  | { cmd: 'closed'; durationMs: number }
  | { cmd: 'open'; durationMs: number; intervalMs: number }
  | { cmd: 'churn'; url: string; visitors: number; messagesEach: number; intervalMs: number; durationMs: number }
  | { cmd: 'disconnect' };

export interface ClientResult {
  type: 'done';
  connected?: number;
  failed?: number;
  /** Round-trip times of acknowledged messages, ms. */
  latencies?: number[];
  errors?: number;
  /** Acknowledgements that were an `{ error }` reply, by code. */
  errorCodes?: Record<string, number>;
  elapsedMs?: number;
}

interface Visitor {
  socket: Socket;
  conversationId?: string;
  resumeToken?: string;
  next: number;
}

const TIMEOUT_MS = 30_000;
let texts: string[] = ['What is ketamine-assisted psychotherapy?'];
let visitors: Visitor[] = [];
let position = Math.floor(Math.random() * 1000);

const send = (command: ClientResult) => process.send!(command);

async function connect(url: string, count: number): Promise<{ connected: number; failed: number }> {
  let connected = 0;
  let failed = 0;
  let next = 0;
  // A few handshakes at a time, as a crowd of browsers would.
  const opener = async () => {
    while (next < count) {
      next++;
      const socket = io(`${url}/chat`, { transports: ['websocket'], reconnection: false, forceNew: true, timeout: 20_000 });
      const ok = await new Promise<boolean>((resolve) => {
        socket.once('connect', () => resolve(true));
        socket.once('connect_error', () => resolve(false));
      });
      if (ok) {
        visitors.push({ socket, next: 0 });
        connected++;
      } else {
        socket.close();
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(50, count) }, opener));
  return { connected, failed };
}

/** One message and its acknowledgement; the reply's conversation is continued next time. */
async function ask(visitor: Visitor, latencies: number[], tally: { errors: number; codes: Record<string, number> }): Promise<void> {
  const text = texts[position++ % texts.length];
  const payload = visitor.conversationId ? { text, conversationId: visitor.conversationId, resumeToken: visitor.resumeToken } : { text };
  const started = performance.now();
  try {
    const reply = (await visitor.socket.timeout(TIMEOUT_MS).emitWithAck('message', payload)) as {
      conversationId?: string;
      resumeToken?: string;
      error?: { code: string };
    };
    latencies.push(performance.now() - started);
    if (reply?.error) tally.codes[reply.error.code] = (tally.codes[reply.error.code] ?? 0) + 1;
    if (reply?.conversationId) {
      visitor.conversationId = reply.conversationId;
      visitor.resumeToken = reply.resumeToken;
    }
  } catch {
    tally.errors++;
  }
}

async function closedLoop(durationMs: number): Promise<ClientResult> {
  const latencies: number[] = [];
  const tally = { errors: 0, codes: {} as Record<string, number> };
  const started = performance.now();
  const deadline = started + durationMs;
  await Promise.all(
    visitors.map(async (v) => {
      while (performance.now() < deadline && v.socket.connected) await ask(v, latencies, tally);
    }),
  );
  return { type: 'done', latencies, errors: tally.errors, errorCodes: tally.codes, elapsedMs: performance.now() - started };
}

async function openLoop(durationMs: number, intervalMs: number): Promise<ClientResult> {
  const latencies: number[] = [];
  const tally = { errors: 0, codes: {} as Record<string, number> };
  const started = performance.now();
  const pending: Promise<void>[] = [];
  await Promise.all(
    visitors.map(async (v) => {
      // Each visitor starts at a random point of its interval, then keeps to its schedule whatever the replies do.
      let at = started + Math.random() * intervalMs;
      while (at < started + durationMs) {
        const wait = at - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        pending.push(ask(v, latencies, tally));
        at += intervalMs;
      }
    }),
  );
  await Promise.all(pending);
  return { type: 'done', latencies, errors: tally.errors, errorCodes: tally.codes, elapsedMs: performance.now() - started };
}

/** Visitors who come, send a few messages, and leave, replaced at once by new ones (the soak). */
async function churn(command: Extract<ClientCommand, { cmd: 'churn' }>): Promise<ClientResult> {
  const latencies: number[] = [];
  const tally = { errors: 0, codes: {} as Record<string, number> };
  const started = performance.now();
  const deadline = started + command.durationMs;
  await Promise.all(
    Array.from({ length: command.visitors }, async (_, i) => {
      await new Promise((r) => setTimeout(r, (i / command.visitors) * command.intervalMs));
      while (performance.now() < deadline) {
        const socket = io(`${command.url}/chat`, { transports: ['websocket'], reconnection: false, forceNew: true });
        const ok = await new Promise<boolean>((resolve) => {
          socket.once('connect', () => resolve(true));
          socket.once('connect_error', () => resolve(false));
        });
        const visitor: Visitor = { socket, next: 0 };
        for (let n = 0; ok && n < command.messagesEach && performance.now() < deadline; n++) {
          const at = performance.now();
          await ask(visitor, latencies, tally);
          const wait = command.intervalMs - (performance.now() - at);
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        }
        if (!ok) tally.errors++;
        socket.close();
      }
    }),
  );
  return { type: 'done', latencies, errors: tally.errors, errorCodes: tally.codes, elapsedMs: performance.now() - started };
}

process.on('message', (message: ClientCommand | { cmd: 'texts'; texts: string[] }) => {
  void (async () => {
    switch (message.cmd) {
      case 'texts':
        texts = message.texts;
        return send({ type: 'done' });
      case 'connect':
        return send({ type: 'done', ...(await connect(message.url, message.count)) });
      case 'closed':
        return send(await closedLoop(message.durationMs));
      case 'open':
        return send(await openLoop(message.durationMs, message.intervalMs));
      case 'churn':
        return send(await churn(message));
      case 'disconnect':
        for (const v of visitors) v.socket.close();
        visitors = [];
        return send({ type: 'done' });
    }
  })();
});
