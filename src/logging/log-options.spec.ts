import type { IncomingMessage, ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { logOptions, requestId } from './log-options.js';

/** A pino logger with the app's options, writing JSON lines into an array. */
function capture(logMessageText: boolean): { log: pino.Logger; lines: Array<Record<string, any>> } {
  const lines: Array<Record<string, any>> = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  const { level, timestamp, formatters, redact } = logOptions({ LOG_LEVEL: 'debug', LOG_MESSAGE_TEXT: logMessageText });
  return { log: pino({ level, timestamp, formatters, redact }, stream), lines };
}

describe('log options', () => {
  it('redacts message text wherever it sits, and secrets, by default', () => {
    const { log, lines } = capture(false);
    log.debug({ conn: 'abc', text: 'I want to kill myself', outcome: { text: 'nested words' }, token: 'secret' }, 'message answered');
    expect(lines[0]).toMatchObject({ level: 'debug', conn: 'abc', text: '[redacted]', outcome: { text: '[redacted]' }, token: '[redacted]' });
    expect(JSON.stringify(lines)).not.toMatch(/kill myself|nested words|secret/);
  });

  it('keeps message text when LOG_MESSAGE_TEXT is on, never secrets', () => {
    const { log, lines } = capture(true);
    log.debug({ text: 'What is KAP?', req: { headers: { authorization: 'Bearer abc' } } });
    expect(lines[0]).toMatchObject({ text: 'What is KAP?', req: { headers: { authorization: '[redacted]' } } });
  });

  it('maps LOG_LEVEL to pino levels', () => {
    expect(logOptions({ LOG_LEVEL: 'log', LOG_MESSAGE_TEXT: false }).level).toBe('info');
    expect(logOptions({ LOG_LEVEL: 'verbose', LOG_MESSAGE_TEXT: false }).level).toBe('trace');
  });

  it("takes a proxy's X-Request-Id when it looks like one, and answers with the id", () => {
    const headers: Record<string, string> = {};
    const res = { setHeader: (name: string, value: string) => (headers[name] = value) } as unknown as ServerResponse;
    const req = (id?: string) => ({ headers: id ? { 'x-request-id': id } : {} }) as IncomingMessage;
    expect(requestId(req('edge-1234abcd'), res)).toBe('edge-1234abcd');
    expect(headers['X-Request-Id']).toBe('edge-1234abcd');
    expect(requestId(req('<script>alert(1)</script>'), res)).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestId(req(), res)).toMatch(/^[0-9a-f-]{36}$/);
  });
});
