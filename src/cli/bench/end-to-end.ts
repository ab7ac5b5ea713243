/**
 * End-to-end benchmarks over loopback: the built server (dist/main.js) against a bare socket.io echo
 * server with the same options (echo-server.ts), driven alternately by the same client processes
 * (load-client.ts). Server CPU per message comes from the server process's own CPU time (probe.ts), the
 * headline figure, since on a small machine the clients limit the bare server's throughput first.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { projectRoot } from '../../paths.js';
import type { ClientCommand, ClientResult } from './load-client.js';
import type { ProbeReading } from './probe.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export type ServerKind = 'bare' | 'project';

/** Where servers and clients run: the server alone on core 0, clients on the others (taskset, 2+ cores). */
export function placement(): { pinned: boolean; server: string; clients: string; note: string } {
  const cores = os.cpus().length;
  const taskset = spawnSync('taskset', ['--version']).status === 0;
  if (!taskset || cores < 2) return { pinned: false, server: '', clients: '', note: taskset ? 'one core: not pinned' : 'no taskset: not pinned' };
  return { pinned: true, server: '0', clients: cores === 2 ? '1' : `1-${cores - 1}`, note: `server on core 0, clients on core(s) ${cores === 2 ? '1' : `1-${cores - 1}`} (taskset)` };
}

function command(cores: string, args: string[]): [string, string[]] {
  return cores ? ['taskset', ['-c', cores, process.execPath, ...args]] : [process.execPath, args];
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export class BenchServer {
  private probes = 0;
  private constructor(
    readonly kind: ServerKind,
    readonly url: string,
    private readonly child: ChildProcess,
    private readonly dataDir: string | null,
  ) {}

  static async start(kind: ServerKind, cores: string): Promise<BenchServer> {
    const port = await freePort();
    const probe = path.join(here, 'probe.js');
    const dataDir = kind === 'project' ? mkdtempSync(path.join(os.tmpdir(), 'kap-bench-')) : null;
    const script = kind === 'project' ? [path.join(projectRoot, 'dist/main.js')] : [path.join(here, 'echo-server.js'), String(port)];
    const [file, args] = command(cores, ['--expose-gc', '--import', probe, ...script]);
    const child = spawn(file, args, {
      cwd: projectRoot,
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      env: {
        ...process.env,
        NODE_ENV: 'production',
        CLINIC_NAME: 'Bench Clinic',
        HOST: '127.0.0.1',
        PORT: String(port),
        DATA_DIR: dataDir ?? '',
        // The benchmark's visitors all come from 127.0.0.1: no per-address or per-connection limit applies.
        RATE_LIMIT_MESSAGES: '1000000000',
        NEW_CONVERSATIONS_PER_HOUR: '1000000000',
        MAX_CONNECTIONS_PER_ADDRESS: '1000000',
        PAGING_WEBHOOK_URL: '',
        PAGING_WEBHOOK_SECRET: '',
      },
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + String(chunk)).slice(-4000)));
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the ${kind} server exited:\n${stderr}`);
      const ok = await fetch(`${url}/health/live`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (Date.now() > deadline) throw new Error(`the ${kind} server did not start:\n${stderr}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    return new BenchServer(kind, url, child, dataDir);
  }

  /** The server's own CPU time and memory (after a full GC when `gc`). */
  probe(gc = false): Promise<ProbeReading> {
    const id = ++this.probes;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the ${this.kind} server did not answer its probe`)), 60_000);
      const listen = (m: ProbeReading) => {
        if (m?.type !== 'probe' || m.id !== id) return;
        clearTimeout(timer);
        this.child.off('message', listen);
        resolve(m);
      };
      this.child.on('message', listen);
      this.child.send({ type: 'probe', id, gc });
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      const exited = new Promise((r) => this.child.once('exit', r));
      this.child.kill('SIGKILL');
      await exited;
    }
    if (this.dataDir) rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** The load-generating processes; a count of visitors is split evenly between them. */
export class LoadClients {
  private constructor(private readonly children: ChildProcess[]) {}

  static async start(count: number, cores: string, texts: string[]): Promise<LoadClients> {
    const children = Array.from({ length: count }, () => {
      const [file, args] = command(cores, [path.join(here, 'load-client.js')]);
      return spawn(file, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    });
    const clients = new LoadClients(children);
    await clients.each(() => ({ cmd: 'texts', texts }) as never);
    return clients;
  }

  get size(): number {
    return this.children.length;
  }

  /** Sends each process its command and waits for all of them. */
  each(make: (index: number) => ClientCommand): Promise<ClientResult[]> {
    return Promise.all(
      this.children.map(
        (child, i) =>
          new Promise<ClientResult>((resolve) => {
            child.once('message', (m: ClientResult) => resolve(m));
            child.send(make(i));
          }),
      ),
    );
  }

  /** `total` visitors split between the processes. */
  split(total: number, i: number): number {
    return Math.floor(total / this.size) + (i < total % this.size ? 1 : 0);
  }

  async connect(url: string, total: number): Promise<number> {
    const results = await this.each((i) => ({ cmd: 'connect', url, count: this.split(total, i) }));
    const failed = results.reduce((n, r) => n + (r.failed ?? 0), 0);
    if (failed) process.stderr.write(`  (${failed} of ${total} connections failed)\n`);
    return results.reduce((n, r) => n + (r.connected ?? 0), 0);
  }

  async disconnect(): Promise<void> {
    await this.each(() => ({ cmd: 'disconnect' }));
  }

  stop(): void {
    for (const child of this.children) child.kill('SIGKILL');
  }
}

export interface LoadFigures {
  kind: ServerKind;
  connections: number;
  messages: number;
  perSecond: number;
  p50: number;
  p99: number;
  /** Server CPU per acknowledged message, µs. */
  cpuPerMessage: number;
  errors: number;
  errorCodes: Record<string, number>;
  load: number;
}

export function percentile(sorted: number[], q: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : NaN;
}

/** One loop (closed or open) against `server` with `connections` visitors; the server's CPU around it. */
export async function measure(
  server: BenchServer,
  clients: LoadClients,
  connections: number,
  loop: { cmd: 'closed'; durationMs: number } | { cmd: 'open'; durationMs: number; intervalMs: number },
  connectFirst = true,
): Promise<LoadFigures> {
  if (connectFirst) await clients.connect(server.url, connections);
  const load = os.loadavg()[0];
  const before = await server.probe();
  const results = await clients.each(() => loop);
  const after = await server.probe();
  if (connectFirst) await clients.disconnect();
  const latencies = results.flatMap((r) => r.latencies ?? []).sort((a, b) => a - b);
  const elapsed = Math.max(...results.map((r) => r.elapsedMs ?? 0));
  const errorCodes: Record<string, number> = {};
  for (const r of results) for (const [code, n] of Object.entries(r.errorCodes ?? {})) errorCodes[code] = (errorCodes[code] ?? 0) + n;
  return {
    kind: server.kind,
    connections,
    messages: latencies.length,
    perSecond: latencies.length / (elapsed / 1000),
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    cpuPerMessage: (after.cpuUs - before.cpuUs) / Math.max(1, latencies.length),
    errors: results.reduce((n, r) => n + (r.errors ?? 0), 0),
    errorCodes,
    load,
  };
}

export interface IdleMemory {
  kind: ServerKind;
  connections: number;
  heapPerConnection: number;
  rssPerConnection: number;
}

/** Heap and RSS per idle connection: after a full GC, before and with `count` connections open. */
export async function idleMemory(server: BenchServer, clients: LoadClients, count: number): Promise<IdleMemory> {
  const before = await server.probe(true);
  const connected = await clients.connect(server.url, count);
  // Let the handshakes' garbage and the first heartbeats settle.
  await new Promise((r) => setTimeout(r, 2000));
  const after = await server.probe(true);
  await clients.disconnect();
  return {
    kind: server.kind,
    connections: connected,
    heapPerConnection: (after.heapUsed - before.heapUsed) / connected,
    rssPerConnection: (after.rss - before.rss) / connected,
  };
}

export interface CapacityStep {
  connections: number;
  figures: LoadFigures;
}

/**
 * Adds connections step by step, each step an open loop after the new connections settled, until p99
 * passes `limitMs` at two steps in a row (one step over it may be the shared machine's noise) or the
 * steps end.
 */
export async function capacity(
  server: BenchServer,
  clients: LoadClients,
  steps: number[],
  window: { durationMs: number; intervalMs: number },
  limitMs: number,
): Promise<CapacityStep[]> {
  const out: CapacityStep[] = [];
  let open = 0;
  let over = 0;
  for (const step of steps) {
    open += await clients.connect(server.url, step - open);
    await new Promise((r) => setTimeout(r, 2000));
    const figures = await measure(server, clients, open, { cmd: 'open', ...window }, false);
    out.push({ connections: open, figures });
    process.stderr.write(`  capacity: ${open} connections, p99 ${figures.p99.toFixed(1)} ms\n`);
    over = figures.p99 > limitMs ? over + 1 : 0;
    if (over === 2 || open < step) break;
  }
  await clients.disconnect();
  return out;
}

export interface SoakSample {
  seconds: number;
  heapUsed: number;
  rss: number;
  messages: number;
}

/** Visitors coming and going for `durationMs`; the server's memory after a full GC every `sampleMs`. */
export async function soak(
  server: BenchServer,
  clients: LoadClients,
  options: { visitors: number; messagesEach: number; intervalMs: number; durationMs: number; sampleMs: number },
): Promise<{ samples: SoakSample[]; figures: { messages: number; p50: number; p99: number; errors: number } }> {
  const started = performance.now();
  const samples: SoakSample[] = [];
  const first = await server.probe(true);
  samples.push({ seconds: 0, heapUsed: first.heapUsed, rss: first.rss, messages: 0 });
  let done = false;
  const run = clients
    .each((i) => ({
      cmd: 'churn',
      url: server.url,
      visitors: clients.split(options.visitors, i),
      messagesEach: options.messagesEach,
      intervalMs: options.intervalMs,
      durationMs: options.durationMs,
    }))
    .finally(() => (done = true));
  while (!done) {
    await Promise.race([run, new Promise((r) => setTimeout(r, options.sampleMs))]);
    if (done) break;
    const reading = await server.probe(true);
    samples.push({ seconds: (performance.now() - started) / 1000, heapUsed: reading.heapUsed, rss: reading.rss, messages: 0 });
  }
  const results = await run;
  const latencies = results.flatMap((r) => r.latencies ?? []).sort((a, b) => a - b);
  const last = await server.probe(true);
  samples.push({ seconds: (performance.now() - started) / 1000, heapUsed: last.heapUsed, rss: last.rss, messages: latencies.length });
  return {
    samples,
    figures: {
      messages: latencies.length,
      p50: percentile(latencies, 0.5),
      p99: percentile(latencies, 0.99),
      errors: results.reduce((n, r) => n + (r.errors ?? 0), 0),
    },
  };
}
