/**
 * Preloaded into a server under benchmark (`node --expose-gc --import dist/cli/bench/probe.js ...`), the
 * project's and the bare echo server alike: answers `{ type: 'probe' }` over the IPC channel with the
 * process's own CPU time and memory, after a full garbage collection when asked.
 */
export interface ProbeReading {
  type: 'probe';
  id: number;
  /** User + system CPU time of this process since it started, µs. */
  cpuUs: number;
  heapUsed: number;
  rss: number;
}

if (process.send) {
  process.on('message', (message: { type?: string; id?: number; gc?: boolean }) => {
    if (message?.type !== 'probe') return;
    const gc = (globalThis as { gc?: () => void }).gc;
    if (message.gc && gc) {
      gc();
      gc();
    }
    const cpu = process.cpuUsage();
    const memory = process.memoryUsage();
    const reading: ProbeReading = { type: 'probe', id: message.id ?? 0, cpuUs: cpu.user + cpu.system, heapUsed: memory.heapUsed, rss: memory.rss };
    process.send!(reading);
  });
  // The channel must not keep a server alive on its own, nor end it: the server decides.
  process.channel?.unref();
}
