import { io } from 'socket.io-client';
import { startChild, type ChildApp } from './support/child.js';
import { until } from './support/staff.js';

/** Structured logs of the built server: JSON lines, request and connection ids, message text redacted. */
describe('logs (the built server)', () => {
  let server: ChildApp;

  beforeAll(async () => {
    server = await startChild({ LOG_LEVEL: 'debug' });
  });
  afterAll(async () => {
    await server.stop('SIGKILL');
  });

  it('writes one JSON object per line, with the connection id on socket work and no message text', async () => {
    const socket = io(`${server.url}/chat`, { transports: ['websocket'], reconnection: false });
    await new Promise((resolve, reject) => socket.once('connect', () => resolve(undefined)).once('connect_error', reject));
    const reply = await socket.timeout(5000).emitWithAck('message', { text: 'What is ketamine, zebra-marker-4711?' });
    const connectionId = socket.id;
    socket.close();
    const res = await fetch(`${server.url}/api/auth/session`, { headers: { 'x-request-id': 'edge-request-0042' } });
    expect(res.headers.get('x-request-id')).toBe('edge-request-0042');

    // SIGHUP reloads the corpus and keeps serving (only SIGTERM and SIGINT stop the server).
    server.process.kill('SIGHUP');
    await until(() => server.logs.some((l) => l.msg === 'SIGHUP: knowledge folder reloaded'), 10_000, 'the corpus reloaded');
    expect((await fetch(`${server.url}/health/live`)).status).toBe(200);
    expect(await server.stop('SIGTERM')).toBe(0);

    expect(server.logs.filter((l) => l.level === 'unparsed')).toEqual([]);
    const answered = server.logs.find((l) => l.msg === 'message answered');
    expect(answered).toMatchObject({
      level: 'debug',
      context: 'ChatGateway',
      conn: connectionId,
      conversationId: reply.conversationId,
      type: reply.type,
      text: '[redacted]',
    });
    expect(server.output()).not.toMatch(/zebra-marker/);
    expect(server.logs.find((l) => l.reqId === 'edge-request-0042')).toMatchObject({
      req: { method: 'GET', path: '/api/auth/session' },
      res: { statusCode: 401 },
    });
  });
});
