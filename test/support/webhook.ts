import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedHook {
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** The status this receiver answered with. */
  answered: number;
  /** When it arrived (Date.now()). */
  at: number;
}

/** A free loopback port (nothing listens on it until you start something there). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** How the receiver answers one request: a status (after `delayMs`), or never ('hang'). */
export type HookAnswer = { status: number; delayMs?: number } | 'hang';

/** A webhook receiver on loopback that records every request and answers 200 (or `status`, or as `behave` says). */
export class WebhookReceiver {
  readonly received: ReceivedHook[] = [];
  private server: Server | null = null;
  status = 200;
  /** Decides each answer from the request's position (0 = first request ever received). */
  behave: ((index: number, hook: ReceivedHook) => HookAnswer) | null = null;

  constructor(readonly port: number) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        const hook: ReceivedHook = { headers: req.headers, body, answered: 0, at: Date.now() };
        this.received.push(hook);
        const answer = this.behave?.(this.received.length - 1, hook) ?? { status: this.status };
        if (answer === 'hang') return;
        const reply = () => {
          if (res.destroyed) return;
          hook.answered = answer.status;
          res.writeHead(answer.status).end();
        };
        if (answer.delayMs) setTimeout(reply, answer.delayMs).unref();
        else reply();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Requests left hanging would otherwise keep it open.
    server.closeAllConnections();
    await closed;
  }

  /** Waits until a request matches, polling. */
  async waitFor(predicate: (hook: ReceivedHook) => boolean, timeoutMs = 10_000): Promise<ReceivedHook> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.received.find(predicate);
      if (hit) return hit;
      if (Date.now() > deadline) throw new Error(`no matching webhook within ${timeoutMs} ms (got ${this.received.length})`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** Waits for the next `event` on an emitter-like socket. */
export function next<T = any>(
  socket: { once(event: string, fn: (payload: T) => void): unknown },
  event: string,
  timeoutMs = 5000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
    socket.once(event, (payload) => {
      clearTimeout(timer);
      resolve(payload);
    });
  });
}
