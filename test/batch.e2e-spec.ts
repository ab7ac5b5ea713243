import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../src/app.module.js';
import { ChatService } from '../src/chat/chat.service.js';
import { accuracy, parseBatch, runBatch, type BatchLine } from '../src/cli/batch.js';
import { projectRoot } from '../src/paths.js';
import { fixturesDir, readJsonl } from './support/fixtures.js';

const run = promisify(execFile);

describe('batch-test: the evaluation sets through the real chat pipeline', () => {
  let app: INestApplicationContext;
  let chat: ChatService;
  beforeAll(async () => {
    process.env.DATA_DIR = mkdtempSync(path.join(tmpdir(), 'kap-batch-'));
    app = await NestFactory.createApplicationContext(AppModule, { logger: false });
    chat = app.get(ChatService);
  });
  afterAll(() => app.close());

  it.each(['crisis.dev.jsonl', 'crisis.extra.jsonl'])(
    '%s: every crisis sample is a crisis, no benign sample is',
    async (file) => {
      const lines = readJsonl<BatchLine>(file);
      const { results } = await runBatch(lines, chat);
      const missed = results.filter((r) => (r.expectRisk as string[]).join() === 'crisis' && r.risk !== 'crisis');
      const alarmed = results.filter((r) => !(r.expectRisk as string[]).includes('crisis') && r.risk === 'crisis');
      expect(missed.map((r) => r.text)).toEqual([]);
      expect(alarmed.map((r) => r.text)).toEqual([]);
      // A crisis reply never carries an FAQ answer.
      for (const r of results.filter((x) => x.risk === 'crisis')) expect([r.type, r.entryId]).toEqual(['crisis', null]);
    },
  );

  it('crisis.conversations.jsonl: risk accumulates across turns and a flag is never lowered', async () => {
    const { results, summary } = await runBatch(readJsonl<BatchLine>('crisis.conversations.jsonl'), chat);
    expect(summary.flagged.total).toBe(results.length);
    expect(accuracy(summary.flagged)).toBe(1);
    const missed = results.filter((r) => (r.expectRisk as string[]).join() === 'crisis' && r.risk !== 'crisis');
    expect(missed.map((r) => r.turns)).toEqual([]);
  });

  it('questions.dev.jsonl: every out-of-scope question gets the fallback', async () => {
    const { results } = await runBatch(readJsonl<BatchLine>('questions.dev.jsonl'), chat);
    const outOfScope = results.filter((r) => (r.expect as string[]).includes('fallback'));
    expect(outOfScope.length).toBeGreaterThan(0);
    expect(outOfScope.filter((r) => r.type !== 'fallback').map((r) => `${r.text} -> ${r.entryId}`)).toEqual([]);
  });

  it('reports each line with its fields, and rejects malformed lines by number', () => {
    expect(() => parseBatch('{"text":"ok"}\nnot json')).toThrow(/line 2/);
    expect(() => parseBatch('{"nope":1}')).toThrow(/line 1/);
    expect(parseBatch('\n{"text":"a","id":7}\n')).toEqual([{ text: 'a', id: 7 }]);
  });
});

// The command `npm run batch-test` runs after compiling; dist/ is built once for the whole run.
describe('batch-test (the staff command)', () => {
  const npm = (args: string[]) =>
    run(process.execPath, ['dist/cli/batch-test.js', ...args], {
      cwd: projectRoot,
      env: { ...process.env, DATA_DIR: mkdtempSync(path.join(tmpdir(), 'kap-cli-')) },
    });

  it('prints one JSON object per line and the accuracy summary, and passes the minimum', async () => {
    const file = path.join(fixturesDir, 'crisis.dev.jsonl');
    const { stdout, stderr } = await npm([file, '--min-accuracy', '1']);
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(readJsonl('crisis.dev.jsonl').length);
    expect(lines[0]).toEqual(
      expect.objectContaining({
        text: 'I want to kill myself',
        expectRisk: ['crisis'],
        risk: 'crisis',
        type: 'crisis',
        entryId: null,
        score: null,
        suggestions: [],
      }),
    );
    expect(stderr).toMatch(/risk accuracy: 1\.000/);
  });

  it('exits non-zero below --min-accuracy', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'kap-batch-file-')), 'wrong.jsonl');
    writeFileSync(file, `${JSON.stringify({ text: 'What is the capital of France?', expect: ['what-is-kap'] })}\n`);
    await expect(npm([file, '--min-accuracy', '0.5'])).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/top-1 accuracy: 0\.000/),
    });
  });
});
