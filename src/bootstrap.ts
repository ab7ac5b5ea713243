import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module.js';
import { AppConfig } from './config/app-config.js';
import { AppIoAdapter } from './realtime/io.adapter.js';

/** Creates the app with everything main.ts and the end-to-end tests share. */
export async function createApp(
  options: { logger?: false | Array<'error' | 'warn' | 'log' | 'debug' | 'verbose'> } = {},
): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, {
    logger: options.logger ?? ['error', 'warn', 'log'],
    abortOnError: false,
  });
  if (app.get(AppConfig).get('TRUST_PROXY')) app.set('trust proxy', true);
  app.disable('x-powered-by');
  app.useWebSocketAdapter(new AppIoAdapter(app));
  app.enableShutdownHooks();
  await app.init();
  return app;
}

export function listenAddress(app: INestApplication): { port: number; host: string } {
  const config = app.get(AppConfig);
  return { port: config.get('PORT'), host: config.get('HOST') };
}
