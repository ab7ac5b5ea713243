import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import 'reflect-metadata';
import { AppModule } from '../app.module.js';
import { IN_MEMORY } from '../storage/storage.service.js';

/**
 * The app's pipeline for command-line tools (batch-test, bench): an in-memory store and no paging, so
 * that trying crisis sentences never leaves a flag in DATA_DIR for on-call staff or pages anyone.
 * Empty values count as unset (also over a .env file).
 */
export async function pipelineContext(): Promise<INestApplicationContext> {
  Object.assign(process.env, {
    DATA_DIR: IN_MEMORY,
    PAGING_WEBHOOK_URL: '',
    PAGING_WEBHOOK_SECRET: '',
    ESCALATION_WEBHOOK_URL: '',
    ESCALATION_WEBHOOK_SECRET: '',
    STORE_ALL_TRANSCRIPTS: 'false',
  });
  return NestFactory.createApplicationContext(AppModule, { logger: ['error'] });
}
