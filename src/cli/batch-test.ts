/**
 * Staff regression test of the corpus and the safety screen:
 *   npm run --silent batch-test -- FILE.jsonl [--min-accuracy X]
 * One JSON object per line on standard output; the summary on standard error. With --min-accuracy,
 * exits 1 when any reported accuracy is below X.
 */
import { readFile } from 'node:fs/promises';
import { NestFactory } from '@nestjs/core';
import 'reflect-metadata';
import { AppModule } from '../app.module.js';
import { ChatService } from '../chat/chat.service.js';
import { accuracy, formatSummary, parseBatch, runBatch } from './batch.js';

const args = process.argv.slice(2);
const minIndex = args.indexOf('--min-accuracy');
const minAccuracy = minIndex >= 0 ? Number(args[minIndex + 1]) : null;
const file = args.find((a, i) => !a.startsWith('--') && (minIndex < 0 || i !== minIndex + 1));
if (!file || (minAccuracy !== null && !(minAccuracy >= 0 && minAccuracy <= 1))) {
  process.stderr.write('usage: npm run --silent batch-test -- FILE.jsonl [--min-accuracy 0..1]\n');
  process.exit(2);
}

try {
  const lines = parseBatch(await readFile(file, 'utf8'));
  const app = await NestFactory.createApplicationContext(AppModule, { logger: ['error'] });
  const { results, summary } = await runBatch(lines, app.get(ChatService));
  await app.close();
  for (const r of results) process.stdout.write(`${JSON.stringify(r)}\n`);
  process.stderr.write(formatSummary(summary));
  const failing = [summary.top1, summary.risk, summary.kind, summary.flagged].filter(
    (t) => t.total && minAccuracy !== null && accuracy(t) < minAccuracy,
  );
  process.exit(failing.length ? 1 : 0);
} catch (err) {
  process.stderr.write(`batch-test: ${(err as Error).message}\n`);
  process.exit(2);
}
