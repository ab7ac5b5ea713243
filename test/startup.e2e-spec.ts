import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../src/paths.js';

const run = promisify(execFile);

/** Starts the built server (dist/main.js) and expects it to refuse to start. */
async function startFails(env: Record<string, string>): Promise<string> {
  const result = await run('node', ['dist/main.js'], {
    cwd: projectRoot,
    env: { ...process.env, DATA_DIR: mkdtempSync(path.join(tmpdir(), 'kap-start-')), ...env },
    timeout: 20_000,
  }).then(
    () => null,
    (err: { code: number; stderr: string }) => err,
  );
  expect(result).not.toBeNull();
  expect(result!.code).toBe(1);
  return result!.stderr;
}

// dist/ is built once for the whole run (test/global-setup.mjs).
describe('start-up (the built server)', () => {
  it('stops with a message naming every bad configuration variable', async () => {
    const stderr = await startFails({ PORT: 'eighty', MATCH_THRESHOLD: '7' });
    expect(stderr).toMatch(/Invalid configuration/);
    expect(stderr).toMatch(/PORT/);
    expect(stderr).toMatch(/MATCH_THRESHOLD/);
    expect(await startFails({ PAGING_WEBHOOK_URL: 'https://pager.example/hook' })).toMatch(
      /PAGING_WEBHOOK_SECRET: is required when PAGING_WEBHOOK_URL is set/,
    );
  });

  it('refuses to start with an invalid corpus, naming the file and field', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kap-corpus-'));
    cpSync(path.join(projectRoot, 'knowledge'), dir, { recursive: true });
    writeFileSync(path.join(dir, 'en', 'what-is-kap.md'), '---\nid: what-is-kap\nlocale: en\nevidence: certain\n---\nBroken.');
    const stderr = await startFails({ KNOWLEDGE_DIR: dir });
    expect(stderr).toMatch(/en\/what-is-kap\.md \(evidence\)/);
  });
});

describe('the demo (npm start on a fresh clone)', () => {
  it('serves the demo clinic with example contact details when no clinic is configured, and none in production', async () => {
    const { spawn } = await import('node:child_process');
    const { freePort } = await import('./support/webhook.js');
    const start = async (env: Record<string, string>) => {
      const port = await freePort();
      const { CLINIC_NAME: _unset, ...inherited } = process.env;
      const child = spawn(process.execPath, ['dist/main.js'], {
        cwd: projectRoot,
        env: { ...inherited, DATA_DIR: mkdtempSync(path.join(tmpdir(), 'kap-demo-')), PORT: String(port), HOST: '127.0.0.1', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('the server did not start')), 20_000);
        child.stdout.on('data', (chunk: Buffer) => {
          if (/Listening on/.test(String(chunk))) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      try {
        return await (await fetch(`http://127.0.0.1:${port}/api/widget/config`)).json();
      } finally {
        child.kill();
      }
    };
    expect((await start({})).clinic).toMatchObject({ name: 'Example Clinic', phone: expect.stringMatching(/555/), email: 'care@clinic.example' });
    expect((await start({ NODE_ENV: 'production' })).clinic).toEqual({});
  }, 60_000);
});

describe('who a crisis flag reaches (the built server)', () => {
  /** Adds an account to the store in `dataDir` (what `npm run staff -- add` does). */
  async function addAccount(dataDir: string, email: string, role: 'oncall' | 'editor'): Promise<void> {
    const { StorageService } = await import('../src/storage/storage.service.js');
    const { StaffService } = await import('../src/staff/staff.service.js');
    const config = { get: (key: string) => ({ DATA_DIR: dataDir, STAFF_TOKEN_TTL_MINUTES: 60 })[key] } as never;
    const storage = new StorageService(config);
    await storage.migrate();
    await new StaffService(storage, config).add(email, role, 'a long enough password');
    await storage.onApplicationShutdown();
  }

  /** Starts the server, returns everything it logged until it listened. */
  async function startupLog(dataDir: string): Promise<string> {
    const { spawn } = await import('node:child_process');
    const { freePort } = await import('./support/webhook.js');
    const child = spawn(process.execPath, ['dist/main.js'], {
      cwd: projectRoot,
      env: { ...process.env, DATA_DIR: dataDir, PORT: String(await freePort()), HOST: '127.0.0.1', CLINIC_NAME: 'Test Clinic', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the server did not start:\n${output}`)), 20_000);
        const collect = (chunk: Buffer) => {
          output += String(chunk);
          if (/Staff console: /.test(output)) {
            clearTimeout(timer);
            resolve();
          }
        };
        child.stdout.on('data', collect);
        child.stderr.on('data', collect);
      });
    } finally {
      // What it wrote to stderr before "Staff console:" (the banner) may still be in the pipe: read it all.
      const closed = child.exitCode === null ? new Promise((resolve) => child.once('close', resolve)) : null;
      child.kill();
      await closed;
    }
    return output;
  }

  it('says loudly when no webhook is set and no account can use the on-call console (an editor is not enough)', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'kap-reach-'));
    await addAccount(dataDir, 'editor@clinic.example', 'editor');
    const nobody = await startupLog(dataDir);
    expect(nobody).toMatch(/A CRISIS FLAG WOULD REACH NOBODY: no PAGING_WEBHOOK_URL is set and there is no/);
    expect(nobody).toMatch(/npm run staff -- add nurse@clinic\.example --role oncall/);

    await addAccount(dataDir, 'nurse@clinic.example', 'oncall');
    const someone = await startupLog(dataDir);
    expect(someone).not.toMatch(/WOULD REACH NOBODY/);
    expect(someone).toMatch(/No PAGING_WEBHOOK_URL: crisis flags reach on-call staff only while the console \(\/console\) is open/);
    expect(someone).toMatch(/Staff console: http:\/\/127\.0\.0\.1:\d+\/console/);
  }, 60_000);
});
