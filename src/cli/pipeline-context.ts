import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import 'reflect-metadata';

/**
 * The app's pipeline for command-line tools (batch-test, bench): an in-memory store and no paging, so
 * that trying crisis sentences never leaves a flag in DATA_DIR for on-call staff or pages anyone.
 * Empty values count as unset (also over a .env file).
 */
export async function pipelineContext(): Promise<INestApplicationContext> {
  Object.assign(process.env, {
    DATA_DIR: ':memory:',
    PAGING_WEBHOOK_URL: '',
    PAGING_WEBHOOK_SECRET: '',
    ESCALATION_WEBHOOK_URL: '',
    ESCALATION_WEBHOOK_SECRET: '',
    STORE_ALL_TRANSCRIPTS: 'false',
  });
  // Imported only now: the configuration module reads the environment when the app module loads.
  const { AppModule } = await import('../app.module.js');
  return NestFactory.createApplicationContext(AppModule, { logger: ['error'] });
}
