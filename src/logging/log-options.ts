import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Options } from 'pino-http';
import { stdTimeFunctions, type LevelWithSilent } from 'pino';
import type { AppConfig } from '../config/config.schema.js';

/** LOG_LEVEL (Nest's names) as pino's. */
const LEVELS: Record<AppConfig['LOG_LEVEL'], LevelWithSilent> = {
  error: 'error',
  warn: 'warn',
  log: 'info',
  debug: 'debug',
  verbose: 'trace',
};

/**
 * Fields that may hold what a visitor or staff member wrote, and secrets: censored in every log line
 * unless LOG_MESSAGE_TEXT is on (the secrets always are). A field named `text` or `payload` anywhere up
 * to two levels deep counts.
 */
export function redactedPaths(logMessageText: boolean): string[] {
  const secrets = ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', 'token', '*.token'];
  const text = ['text', '*.text', '*.*.text', 'payload', '*.payload', 'question', '*.question'];
  return logMessageText ? secrets : [...secrets, ...text];
}

/** An id a proxy sent along (`X-Request-Id`), when it looks like one; a new UUID otherwise. */
export function requestId(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && /^[\w.:-]{8,128}$/.test(given) ? given : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

/** pino-http's options: one JSON object per line on stdout, with request ids and redaction. */
export function logOptions(config: Pick<AppConfig, 'LOG_LEVEL' | 'LOG_MESSAGE_TEXT'>): Options {
  return {
    level: LEVELS[config.LOG_LEVEL],
    timestamp: stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: redactedPaths(config.LOG_MESSAGE_TEXT), censor: '[redacted]' },
    genReqId: requestId,
    // Lines logged while a request is handled carry its id only, not the whole request again.
    quietReqLogger: true,
    customAttributeKeys: { reqId: 'reqId' },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    // Probes, scrapes and socket.io's own long-polling requests would drown everything else.
    autoLogging: { ignore: (req) => /^\/(health|metrics|socket\.io)(\/|\?|$)/.test(req.url ?? '') },
    serializers: {
      // The path without its query string; no headers (cookies, tokens), no body.
      req: (req: { id: unknown; method: string; url: string; remoteAddress?: string }) => ({
        id: req.id,
        method: req.method,
        path: req.url?.split('?')[0],
        remoteAddress: req.remoteAddress,
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  };
}
