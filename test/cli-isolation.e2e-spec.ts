import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../src/paths.js';
import { freePort, WebhookReceiver } from './support/webhook.js';

const run = promisify(execFile);

/**
 * Hardening item 18: command-line tools never touch DATA_DIR or page anyone.
 */
describe('the command-line tools', () => {
  it('batch-test runs crisis sentences without writing DATA_DIR or paging, whatever the environment says', async () => {
    const pager = new WebhookReceiver(await freePort());
    await pager.start();
    const dataDir = path.join(mkdtempSync(path.join(tmpdir(), 'kap-cli-data-')), 'data');
    try {
      const { stdout } = await run(
        process.execPath,
        ['dist/cli/batch-test.js', path.join(projectRoot, 'test/fixtures/crisis.dev.jsonl')],
        {
          cwd: projectRoot,
          env: {
            ...process.env,
            DATA_DIR: dataDir,
            PAGING_WEBHOOK_URL: pager.url,
            PAGING_WEBHOOK_SECRET: 'a-test-secret-of-16+chars',
          },
        },
      );
      expect(
        stdout
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l).risk),
      ).toContain('crisis');
      expect(existsSync(dataDir)).toBe(false);
      expect(pager.received).toEqual([]);
    } finally {
      await pager.stop();
    }
  }, 60_000);
});
