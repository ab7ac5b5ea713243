import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../src/paths.js';
import { freePort } from './webhook.js';

/** One JSON log line of the server. */
export interface LogLine {
  level: string;
  msg?: string;
  context?: string;
  [field: string]: unknown;
}

export interface ChildApp {
  url: string;
  port: number;
  dataDir: string;
  process: ChildProcessWithoutNullStreams;
  /** Every JSON line logged so far (stdout), parsed. */
  logs: LogLine[];
  /** Everything written to stdout and stderr, as text. */
  output(): string;
  /** Resolves with the exit code (or the signal's name) when the process ends. */
  exited: Promise<number | string>;
  /** Sends `signal` (default SIGTERM) and waits for the process to end. */
  stop(signal?: NodeJS.Signals): Promise<number | string>;
}

/**
 * Starts the built server (dist/main.js, built once by the global set-up) as a child process, on a free
 * port and a fresh data folder unless `env` names them, and resolves once it listens.
 */
export async function startChild(env: Record<string, string> = {}): Promise<ChildApp> {
  const port = Number(env.PORT ?? (await freePort()));
  const dataDir = env.DATA_DIR ?? mkdtempSync(path.join(tmpdir(), 'kap-child-'));
  const child = spawn(process.execPath, ['dist/main.js'], {
    cwd: projectRoot,
    env: { ...process.env, CLINIC_NAME: 'Test Clinic', NODE_ENV: 'production', ...env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const logs: LogLine[] = [];
  let text = '';
  let partial = '';
  child.stdout.on('data', (chunk: Buffer) => {
    text += String(chunk);
    const lines = (partial + String(chunk)).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line) as LogLine);
      } catch {
        logs.push({ level: 'unparsed', msg: line });
      }
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (text += String(chunk)));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start:\n${text}`)), 30_000);
    const check = () => {
      if (logs.some((l) => /^Listening on/.test(l.msg ?? ''))) {
        clearTimeout(timer);
        child.stdout.off('data', check);
        resolve();
      }
    };
    child.stdout.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code}) before it listened:\n${text}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    dataDir,
    process: child,
    logs,
    output: () => text,
    exited,
    stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Creates `dataDir`'s store with these staff accounts (password STAFF_PASSWORD) before a child starts on it. */
export async function seedStaff(dataDir: string, accounts: Array<{ email: string; role: 'oncall' | 'editor' | 'admin' }>): Promise<void> {
  const { StorageService } = await import('../../src/storage/storage.service.js');
  const { StaffService } = await import('../../src/staff/staff.service.js');
  const { STAFF_PASSWORD } = await import('./staff.js');
  const config = { get: (key: string) => ({ DATA_DIR: dataDir, STAFF_TOKEN_TTL_MINUTES: 60 })[key] } as never;
  const storage = new StorageService(config);
  await storage.migrate();
  for (const { email, role } of accounts) await new StaffService(storage, config).add(email, role, STAFF_PASSWORD);
  await storage.onApplicationShutdown();
}
