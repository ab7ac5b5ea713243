/**
 * Staff regression test of the corpus and the safety screen:
 *   npm run --silent batch-test -- FILE.jsonl [--min-accuracy X]
 * One JSON object per line on standard output; the summary on standard error. With --min-accuracy,
 * exits 1 when any reported accuracy is below X. Runs on an in-memory store and never pages.
 */
import { readFile } from 'node:fs/promises';
import { ChatService } from '../chat/chat.service.js';
import { accuracy, formatSummary, parseBatch, runBatch } from './batch.js';
import { pipelineContext } from './pipeline-context.js';

/** Writes and waits until the stream has taken it (a pipe may be slower than we are). */
function write(stream: NodeJS.WriteStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => stream.write(text, (err) => (err ? reject(err) : resolve())));
}

async function main(args: string[]): Promise<number> {
  const minIndex = args.indexOf('--min-accuracy');
  const minAccuracy = minIndex >= 0 ? Number(args[minIndex + 1]) : null;
  const file = args.find((a, i) => !a.startsWith('--') && (minIndex < 0 || i !== minIndex + 1));
  if (!file || (minAccuracy !== null && !(minAccuracy >= 0 && minAccuracy <= 1))) {
    await write(process.stderr, 'usage: npm run --silent batch-test -- FILE.jsonl [--min-accuracy 0..1]\n');
    return 2;
  }
  try {
    const lines = parseBatch(await readFile(file, 'utf8'));
    const app = await pipelineContext();
    const { results, summary } = await runBatch(lines, app.get(ChatService));
    await app.close();
    await write(process.stdout, results.map((r) => `${JSON.stringify(r)}\n`).join(''));
    await write(process.stderr, formatSummary(summary));
    const failing = [summary.top1, summary.risk, summary.kind, summary.flagged].filter(
      (t) => t.total && minAccuracy !== null && accuracy(t) < minAccuracy,
    );
    return failing.length ? 1 : 0;
  } catch (err) {
    await write(process.stderr, `batch-test: ${(err as Error).message}\n`);
    return 2;
  }
}

// The exit code is set, not forced: the process ends once everything written has been flushed.
process.exitCode = await main(process.argv.slice(2));
