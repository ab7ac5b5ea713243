import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../src/paths.js';
import { freePort } from './webhook.js';

/** One app instance in its own process, running the built server (dist/main.js) as in production. */
export interface Instance {
  name: string;
  url: string;
  /** Everything it printed so far. */
  readonly log: string;
  stop(): Promise<void>;
}

/**
 * Starts the built server in a child process with `env` (plus a port and a data folder of its own) and
 * waits until it listens. Its output is kept (shown when start-up fails) rather than printed.
 */
export async function startInstance(name: string, env: Record<string, string>, timeoutMs = 60_000): Promise<Instance> {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), `kap-${name}-`));
  const child: ChildProcess = spawn(process.execPath, [path.join(projectRoot, 'dist/main.js')], {
    cwd: projectRoot,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      CLINIC_NAME: 'Test Clinic',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: dataDir,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout!.on('data', (chunk) => (log += chunk));
  child.stderr!.on('data', (chunk) => (log += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within ${timeoutMs} ms:\n${log}`)), timeoutMs);
    const check = () => {
      if (log.includes('Listening on')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code} during start-up:\n${log}`));
    });
  });
  return {
    name,
    url: `http://127.0.0.1:${port}`,
    get log() {
      return log;
    },
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(killer);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
