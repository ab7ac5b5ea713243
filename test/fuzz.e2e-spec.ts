import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { projectRoot } from '../src/paths.js';
import { seedStaff, startChild, type ChildApp } from './support/child.js';
import { signIn } from './support/staff.js';

/** A seeded generator (mulberry32), so a failing run can be replayed with FUZZ_SEED. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)];
  return { next, int, pick };
}

const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
const rnd = random(SEED);
const xss = readFileSync(path.join(projectRoot, 'test/fixtures/xss-payloads.txt'), 'utf8').split('\n').filter(Boolean);
const KEYS = [
  'text', 'locale', 'conversationId', 'resumeToken', 'clientMessageId', 'entryId', 'helpful', 'contact', 'id', 'note',
  '__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__', 'then', 'length', '',
] as const;
const PIECES = [
  'I want to kill myself', 'What is KAP?', 'ketamine', '\u0000', '\ud800', '\udfff', '\udc00\ud800', '\u202e', '\ufeff', '\u200b',
  'e\u0301', '🙂', '👩‍👩‍👧', '%s%n%x', '${process.exit()}', '{{constructor.constructor("return process")()}}', '../../etc/passwd',
  'NaN', 'null', 'undefined', '[object Object]', 'ﷺ', 'Z̷̧͓a̶l̸g̵o', '\r\n\r\n', "' OR 1=1 --", 'quiero morir',
] as const;

/** A string that is hostile in some way: markup, broken UTF-16, control characters, huge, or plain. */
function hostileString(): string {
  switch (rnd.int(6)) {
    case 0:
      return rnd.pick(xss);
    case 1:
      return Array.from({ length: 1 + rnd.int(6) }, () => rnd.pick(PIECES)).join(rnd.pick(['', ' ', '\n']));
    case 2:
      return String.fromCharCode(...Array.from({ length: rnd.int(60) }, () => rnd.int(0x10000)));
    case 3:
      // Long, under the transport's 64 KB (over it the connection closes: see operations.e2e-spec.ts).
      return rnd.pick(PIECES).repeat(1 + rnd.int(3000)).slice(0, 1000 + rnd.int(20_000));
    default:
      return rnd.pick(PIECES);
  }
}

/** A random JSON-ish value, with prototype keys as own keys (as JSON.parse makes them). */
function hostileValue(depth = 0): unknown {
  const kind = rnd.int(depth > 3 ? 6 : 9);
  switch (kind) {
    case 0:
      return hostileString();
    case 1:
      return rnd.pick([0, -0, 1, -1, 1e308, -1e308, 2 ** 53 + 1, 0.1, Number.MAX_SAFE_INTEGER]);
    case 2:
      return rnd.pick([true, false, null]);
    case 3:
      return Buffer.from(Array.from({ length: rnd.int(64) }, () => rnd.int(256)));
    case 4:
      return rnd.pick(xss);
    case 5:
      return '';
    case 6:
      return Array.from({ length: rnd.int(5) }, () => hostileValue(depth + 1));
    default: {
      const entries = Array.from({ length: rnd.int(6) }, () => [rnd.pick(KEYS), hostileValue(depth + 1)] as const);
      // Through JSON so that "__proto__" stays an own key; buffers go in as they are.
      const object = JSON.parse(JSON.stringify(Object.fromEntries(entries.filter(([, v]) => !Buffer.isBuffer(v))))) as Record<string, unknown>;
      for (const [k, v] of entries) if (Buffer.isBuffer(v) && k !== '__proto__') object[k] = v;
      return object;
    }
  }
}

/** Deeply nested arrays: a classic way to exhaust a recursive parser's stack. */
const deep = (n: number): unknown => JSON.parse('['.repeat(n) + ']'.repeat(n));

function hostilePayload(): unknown[] {
  switch (rnd.int(10)) {
    case 0:
      return [];
    case 1:
      return [hostileValue(), hostileValue()];
    case 2:
      return [deep(500 + rnd.int(2000))];
    case 3:
      return [{ text: hostileString(), conversationId: hostileValue(), resumeToken: hostileValue(), locale: hostileValue() }];
    case 4:
      return [{ text: hostileValue(), clientMessageId: hostileValue() }];
    default:
      return [hostileValue()];
  }
}

const CHAT_EVENTS = ['message', 'message', 'message', 'resume', 'clear', 'feedback', 'contact'] as const;
const STAFF_EVENTS = [
  'flags:list', 'staff:directory', 'flag:view', 'flag:acknowledge', 'flag:resolve', 'conversation:join', 'conversation:message', 'conversation:leave',
] as const;
/** Events no handler listens to: they must be ignored without harm. */
const UNKNOWN_EVENTS = ['constructor', 'toString', 'hasOwnProperty', 'exception', 'error-x', 'flags:list ', 'MESSAGE', '💥'] as const;
const ERROR_CODES = ['invalid_message', 'invalid_request', 'unknown_conversation', 'rate_limited', 'not_found', 'forbidden', 'conflict', 'not_joined'];
/** What would betray the server's insides: stack frames, source paths, module names. */
const INTERNALS = /\n\s+at |\bat [\w.<>]+ \(|node_modules|\/work\/|\/src\/|\/dist\/|\.[jt]s:\d+|\bstack\b|TypeError|ReferenceError|RangeError/;

const PER_SOCKET = 400;
const HTTP_REQUESTS = 1500;
/** Every route of the HTTP API, with `:name` for a parameter, plus paths no route serves. */
const HTTP_ROUTES = [
  '/api/corpus', '/api/entries', '/api/entries/:id', '/api/entries/:id/revisions', '/api/entries/:id/revisions/:revision',
  '/api/entries/:id/draft', '/api/entries/:id/retire', '/api/entries/:id/publish', '/api/entries/:id/preview',
  '/api/entries/:id/test-questions', '/api/entries/:id/test-questions/:question', '/api/review/due', '/api/test-question',
  '/api/triage', '/api/triage/dismiss', '/api/triage/add-alternate', '/api/triage/new-entry', '/api/analytics',
  '/api/reports/crisis-referrals', '/api/staff/feedback', '/api/auth/login', '/api/auth/session', '/api/auth/logout',
  '/api/widget/config', '/api/:unknown', '/health/live', '/health/ready', '/health', '/metrics', '/widget/:file', '/console/:file', '/:file',
] as const;
const CHAT_SOCKETS = 6;
const STAFF_SOCKETS = 2;

/**
 * Issue 13: thousands of random and hostile payloads at /chat and /staff: no crash, no internals in any
 * answer, no unhandled rejection, and every connection still answers afterwards.
 */
describe(`fuzzing the socket events (the built server, FUZZ_SEED=${SEED})`, () => {
  let server: ChildApp;
  let staffToken: string;
  let adminToken: string;
  const responses: unknown[] = [];
  const sockets: Socket[] = [];

  beforeAll(async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'kap-fuzz-'));
    await seedStaff(dataDir, [
      { email: 'oncall@clinic.example', role: 'oncall' },
      { email: 'admin@clinic.example', role: 'admin' },
    ]);
    server = await startChild({ DATA_DIR: dataDir, RATE_LIMIT_MESSAGES: '1000000', NEW_CONVERSATIONS_PER_HOUR: '1000000' });
    staffToken = (await signIn(server.url, 'oncall@clinic.example')).body.token;
    adminToken = (await signIn(server.url, 'admin@clinic.example')).body.token;
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await server.stop('SIGKILL');
  });

  const connect = async (namespace: '/chat' | '/staff') => {
    const socket = io(`${server.url}${namespace}`, {
      transports: ['websocket'],
      reconnection: false,
      ...(namespace === '/staff' ? { auth: { token: staffToken } } : {}),
    });
    await new Promise((resolve, reject) => socket.once('connect', () => resolve(undefined)).once('connect_error', reject));
    // Anything the server emits unasked (an error for a message without a callback, Nest's 'exception').
    socket.onAny((event: string, ...args: unknown[]) => responses.push({ event, args }));
    sockets.push(socket);
    return socket;
  };

  /** Sends `count` hostile payloads, one after another; most wait for the acknowledgement. */
  async function barrage(socket: Socket, events: readonly string[], count: number): Promise<number> {
    let acknowledged = 0;
    for (let i = 0; i < count; i++) {
      const payload = hostilePayload();
      if (rnd.next() < 0.1) {
        socket.emit(rnd.pick(UNKNOWN_EVENTS), ...payload);
        continue;
      }
      const event = rnd.pick(events);
      if (rnd.next() < 0.1) {
        socket.emit(event, ...payload);
        continue;
      }
      const reply = await socket
        .timeout(10_000)
        .emitWithAck(event, ...payload)
        .catch((error: Error) => {
          throw new Error(`${error.message}: ${event} ${JSON.stringify(payload).slice(0, 300)}`);
        });
      responses.push(reply);
      acknowledged++;
    }
    return acknowledged;
  }

  it('survives, leaks nothing, and every connection still answers', async () => {
    const chat = await Promise.all(Array.from({ length: CHAT_SOCKETS }, () => connect('/chat')));
    const staff = await Promise.all(Array.from({ length: STAFF_SOCKETS }, () => connect('/staff')));
    const acknowledged = await Promise.all([
      ...chat.map((s) => barrage(s, CHAT_EVENTS, PER_SOCKET)),
      ...staff.map((s) => barrage(s, STAFF_EVENTS, PER_SOCKET)),
    ]);
    const total = (CHAT_SOCKETS + STAFF_SOCKETS) * PER_SOCKET;
    expect(acknowledged.reduce((a, b) => a + b, 0)).toBeGreaterThan(total * 0.7);

    // No answer betrays the insides, and none is an internal error (or Nest's generic exception).
    const leaks = responses.filter((r) => INTERNALS.test(JSON.stringify(r)));
    expect(leaks.slice(0, 3)).toEqual([]);
    const codes = responses.flatMap((r) => {
      const error = (r as { error?: { code?: string } } | null)?.error ?? (r as { args?: Array<{ error?: { code?: string } }> })?.args?.[0]?.error;
      return error ? [error.code] : [];
    });
    if (codes.some((c) => !ERROR_CODES.includes(c ?? ''))) process.stdout.write(JSON.stringify(server.logs.filter((l) => l.level === 'error')).slice(0, 3000));
    expect(codes.filter((c) => !ERROR_CODES.includes(c ?? ''))).toEqual([]);
    expect(responses.filter((r) => (r as { event?: string })?.event === 'exception')).toEqual([]);

    // Every connection is still open and answers.
    for (const socket of chat) {
      expect(socket.connected).toBe(true);
      expect((await socket.timeout(5000).emitWithAck('message', { text: 'What is KAP?' })).type).toBe('answer');
    }
    expect((await chat[0].timeout(5000).emitWithAck('message', { text: 'I want to kill myself' })).type).toBe('crisis');
    for (const socket of staff) {
      expect(socket.connected).toBe(true);
      expect(await socket.timeout(5000).emitWithAck('flags:list')).toMatchObject({ flags: expect.any(Array) });
    }

    // The process is alive, and logged no error, no unhandled rejection, nothing it could not format.
    expect(server.process.exitCode).toBeNull();
    expect(server.logs.filter((l) => ['error', 'fatal', 'unparsed'].includes(l.level))).toEqual([]);
    expect(server.output()).not.toMatch(/Unhandled|unhandledRejection|uncaughtException/i);
    process.stdout.write(`fuzz: ${total} payloads (seed ${SEED}), ${responses.length} answers checked\n`);
  }, 120_000);

  /** Percent-encoding as UTF-8; a lone surrogate (which UTF-8 cannot carry) becomes its invalid bytes. */
  const encode = (text: string) => text.replace(/[\ud800-\udfff]/g, '\u0000').split('\u0000').map(encodeURIComponent).join('%ED%A0%80');

  /** The text without the request's own path, as sent and as decoded. */
  const withoutEcho = (text: string, target: string) => {
    let decoded = target;
    try {
      decoded = decodeURIComponent(target);
    } catch {
      // Not decodable: only the raw form can appear.
    }
    return text.split(JSON.stringify(target).slice(1, -1)).join('').split(JSON.stringify(decoded).slice(1, -1)).join('');
  };

  /** A path of the HTTP API with its parameters replaced by hostile strings. */
  function hostilePath(): string {
    const segment = () => {
      const raw = rnd.next() < 0.5 ? rnd.pick(['what-is-kap', '1', '0', '-1', '..', '%2e%2e', '%00', '%', '%zz', '~']) : hostileString().slice(0, 200);
      // Mostly encoded as a browser would; sometimes only the characters a URL cannot carry at all.
      return rnd.next() < 0.7 ? encode(raw) : raw.replace(/[^\x21-\x7e]|[#?/]/g, encode);
    };
    const template = rnd.pick(HTTP_ROUTES);
    const filled = template.replace(/:\w+/g, segment);
    return rnd.next() < 0.2 ? `${filled}?${segment()}=${segment()}&${segment()}` : filled;
  }

  /** One hostile HTTP request: random method, path, headers and body. */
  function hostileRequest(): { path: string; init: RequestInit } {
    const method = rnd.pick(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'POST', 'PUT']);
    const headers: Record<string, string> = {};
    switch (rnd.int(5)) {
      case 0:
        headers.authorization = `Bearer ${adminToken}`;
        break;
      case 1:
        headers.authorization = `Bearer ${staffToken}`;
        break;
      case 2:
        headers.authorization = rnd.pick(['Bearer', 'Bearer ', 'Basic YTpi', `Bearer ${adminToken}x`, 'Bearer \u00ff'.replace(/[^\x20-\x7e]/g, '?')]);
        break;
      case 3:
        headers.cookie = `kap_staff=${rnd.pick([adminToken, 'x', '%', '"', '', `${adminToken}; kap_staff=x`])}`;
        break;
    }
    if (rnd.next() < 0.3) headers.origin = rnd.pick(['null', 'https://evil.example', server.url, 'not a url']);
    let body: string | undefined;
    if (method !== 'GET' && method !== 'HEAD') {
      switch (rnd.int(6)) {
        case 0:
          headers['content-type'] = 'application/json';
          body = rnd.pick(['{', '{"a":', '[1,2', 'null', '"x"', '1e999', '{"__proto__":{"admin":true}}', '']);
          break;
        case 1:
          headers['content-type'] = rnd.pick(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=utf-7']);
          body = hostileString();
          break;
        case 2:
          headers['content-type'] = 'application/json';
          body = JSON.stringify(deep(200 + rnd.int(3000)));
          break;
        case 3:
          headers['content-type'] = 'application/json';
          // Over the body parser's limit.
          body = JSON.stringify({ text: 'x'.repeat(200_000 + rnd.int(800_000)) });
          break;
        default:
          headers['content-type'] = 'application/json';
          body = JSON.stringify(hostileValue(), (_k, v: unknown) => (typeof v === 'object' && v && (v as { type?: string }).type === 'Buffer' ? 'buffer' : v));
      }
    }
    const target = hostilePath();
    // Signing out with the shared tokens would leave the rest of the run signed out.
    if (target.startsWith('/api/auth/logout')) {
      delete headers.authorization;
      delete headers.cookie;
    }
    return { path: target, init: { method, headers, body } };
  }

  it('answers hostile HTTP requests with a code and no internals, and keeps serving', async () => {
    const statuses = new Map<number, number>();
    const problems: string[] = [];
    let sent = 0;
    const worker = async () => {
      while (sent < HTTP_REQUESTS) {
        sent++;
        const { path: target, init } = hostileRequest();
        const res = await fetch(`${server.url}${target}`, init);
        const text = await res.text();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status >= 500) problems.push(`${res.status} ${init.method} ${target}: ${text.slice(0, 200)}`);
        // Errors only: a corpus entry or a page may well say "stack" or name a file.
        // ("Cannot GET <path>" repeats the request's own path, which may hold anything: left out.)
        if (res.status >= 400 && INTERNALS.test(withoutEcho(text, target))) {
          problems.push(`internals in ${init.method} ${target}: ${text.slice(0, 300)}`);
        }
        // An API error is JSON with a code (Nest's own 404s and the body parser's errors included).
        if (res.status >= 400 && target.startsWith('/api/') && init.method !== 'HEAD') {
          const code = (JSON.parse(text || 'null') as { error?: { code?: unknown } } | null)?.error?.code;
          if (typeof code !== 'string') problems.push(`no code: ${res.status} ${init.method} ${target}: ${text.slice(0, 200)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: 6 }, worker));
    expect(problems.slice(0, 5)).toEqual([]);

    // Still serving: the API for a signed-in admin, readiness, and visitors.
    const entries = await fetch(`${server.url}/api/entries`, { headers: { authorization: `Bearer ${adminToken}` } });
    expect(entries.status).toBe(200);
    expect((await fetch(`${server.url}/health/ready`)).status).toBe(200);
    const visitor = await connect('/chat');
    expect((await visitor.timeout(5000).emitWithAck('message', { text: 'What is KAP?' })).type).toBe('answer');
    expect(server.process.exitCode).toBeNull();
    expect(server.logs.filter((l) => ['error', 'fatal', 'unparsed'].includes(l.level))).toEqual([]);
    expect(server.output()).not.toMatch(/Unhandled|unhandledRejection|uncaughtException/i);
    process.stdout.write(`fuzz: ${HTTP_REQUESTS} HTTP requests (seed ${SEED}), statuses ${JSON.stringify(Object.fromEntries(statuses))}\n`);
  }, 120_000);
});
