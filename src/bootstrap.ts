import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger as JsonLogger, PinoLogger } from 'nestjs-pino';
import { AppModule } from './app.module.js';
import { AppConfig } from './config/app-config.js';
import { validateConfig } from './config/config.schema.js';
import { GracefulShutdown } from './lifecycle/graceful-shutdown.js';
import { trustFunction } from './realtime/client-address.js';
import { AppIoAdapter } from './realtime/io.adapter.js';
import { ErrorCodesFilter } from './web/error-codes.filter.js';

const LEVELS = ['error', 'warn', 'log', 'debug', 'verbose'] as const;
type Level = (typeof LEVELS)[number];

/** LOG_LEVEL and everything more severe. */
export function logLevels(level: Level): Level[] {
  return LEVELS.slice(0, LEVELS.indexOf(level) + 1);
}

/** Creates the app with everything main.ts and the end-to-end tests share. */
export async function createApp(options: { logger?: false | Level[] } = {}): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, {
    // The logger is needed before the configuration module runs, so LOG_LEVEL is read here directly.
    logger: options.logger ?? logLevels(validateConfig(process.env).LOG_LEVEL),
    abortOnError: false,
    // Start-up lines wait for the JSON logger (a failed start prints them with Nest's own).
    bufferLogs: options.logger === undefined,
  });
  // JSON logs (logging/); `logger: false` (tests) silences the HTTP request log too.
  if (options.logger === undefined) app.useLogger(app.get(JsonLogger));
  else if (options.logger === false) PinoLogger.root.level = 'silent';
  // The same trust rule as the socket.io gateways (realtime/client-address.ts).
  app.set('trust proxy', trustFunction(app.get(AppConfig).get('TRUST_PROXY')));
  app.disable('x-powered-by');
  // Every response: no MIME sniffing, and a policy that lets nothing load or frame it. Pages that need
  // more (the demo, the console) set their own policy over this one.
  app.use((_req: unknown, res: { setHeader(name: string, value: string): void }, next: () => void) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'; base-uri 'none'");
    next();
  });
  // HTTP errors as { error: { code, message } } (the gateways answer errors themselves).
  app.useGlobalFilters(new ErrorCodesFilter());
  app.useWebSocketAdapter(new AppIoAdapter(app));
  await app.init();
  return app;
}

/** A graceful shutdown (lifecycle/graceful-shutdown.ts), then Nest's: timers stop, the store closes. */
export async function shutDown(app: INestApplication, signal: string): Promise<void> {
  await app.get(GracefulShutdown).drain(signal);
  await app.close();
}

export function listenAddress(app: INestApplication): { port: number; host: string } {
  const config = app.get(AppConfig);
  return { port: config.get('PORT'), host: config.get('HOST') };
}
