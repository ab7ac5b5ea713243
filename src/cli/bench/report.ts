/**
 * The end-to-end part of `npm run bench`: runs the measurements of end-to-end.ts in a fixed order and
 * renders them as Markdown tables, with ratios against the bare echo server measured in the same run and
 * the issue's targets, met or not.
 */
import os from 'node:os';
import { BenchServer, capacity, idleMemory, LoadClients, measure, placement, soak, type LoadFigures } from './end-to-end.js';

interface Options {
  quick: boolean;
  texts: string[];
  out: (line?: string) => void;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (x: number, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : '-');
const int = (x: number) => Math.round(x).toLocaleString('en-US');
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const met = (ok: boolean) => (ok ? '**met**' : '**not met**');

/** The median of each figure over rounds. */
function combine(runs: LoadFigures[]): LoadFigures {
  const pick = (f: (r: LoadFigures) => number) => median(runs.map(f));
  const errorCodes: Record<string, number> = {};
  for (const r of runs) for (const [code, n] of Object.entries(r.errorCodes)) errorCodes[code] = (errorCodes[code] ?? 0) + n;
  return {
    kind: runs[0].kind,
    connections: runs[0].connections,
    messages: pick((r) => r.messages),
    perSecond: pick((r) => r.perSecond),
    p50: pick((r) => r.p50),
    p99: pick((r) => r.p99),
    cpuPerMessage: pick((r) => r.cpuPerMessage),
    errors: runs.reduce((n, r) => n + r.errors, 0),
    errorCodes,
    load: pick((r) => r.load),
  };
}

export async function endToEnd({ quick, texts, out }: Options): Promise<string> {
  const place = placement();
  const levels = quick ? [100] : [10, 100, 1000];
  const rounds = quick ? 1 : 2;
  const closedMs = quick ? 2000 : 6000;
  const openMs = quick ? 5000 : 15_000;
  const intervalMs = 5000;
  const idleCount = quick ? 500 : 5000;
  const clientProcesses = quick ? 2 : 3;
  const md: string[] = [];

  out('\n## End to end (loopback)');
  out(`${place.note}; ${clientProcesses} client processes; load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const servers = { bare: await BenchServer.start('bare', place.server), project: await BenchServer.start('project', place.server) };
  const clients = await LoadClients.start(clientProcesses, place.clients, texts);
  try {
    // Warm-up: the first messages compile the hot paths of both servers.
    for (const server of Object.values(servers)) await measure(server, clients, 10, { cmd: 'closed', durationMs: quick ? 500 : 2000 });

    const closed: Record<number, { bare: LoadFigures[]; project: LoadFigures[] }> = {};
    const open: Record<number, { bare: LoadFigures[]; project: LoadFigures[] }> = {};
    for (const n of levels) {
      closed[n] = { bare: [], project: [] };
      open[n] = { bare: [], project: [] };
      for (let round = 0; round < rounds; round++) {
        // Alternating, and the other way round in every other round, so that drift in the machine's load
        // falls on both servers alike.
        const order = round % 2 ? (['project', 'bare'] as const) : (['bare', 'project'] as const);
        for (const kind of order) {
          const c = await measure(servers[kind], clients, n, { cmd: 'closed', durationMs: closedMs });
          closed[n][kind].push(c);
          const o = await measure(servers[kind], clients, n, { cmd: 'open', durationMs: openMs, intervalMs });
          open[n][kind].push(o);
          out(
            `${kind.padEnd(7)} ${String(n).padStart(5)} visitors: closed ${int(c.perSecond)} msg/s p50 ${fmt(c.p50)} ms p99 ${fmt(c.p99)} ms cpu ${fmt(c.cpuPerMessage)} µs/msg; open p50 ${fmt(o.p50)} ms p99 ${fmt(o.p99)} ms cpu ${fmt(o.cpuPerMessage)} µs/msg; load ${fmt(c.load, 2)}${c.errors + o.errors ? `; ${c.errors + o.errors} errors` : ''}`,
          );
        }
      }
    }

    out(`\nidle connections (${idleCount})`);
    const idle = { bare: await idleMemory(servers.bare, clients, idleCount), project: await idleMemory(servers.project, clients, idleCount) };
    for (const m of Object.values(idle)) out(`${m.kind.padEnd(7)} ${m.connections} idle: heap ${kib(m.heapPerConnection)} / connection, RSS ${kib(m.rssPerConnection)}`);

    const steps = quick ? [] : [250, 500, 750, 1000, 1500, 2000, 3000, 4000, 6000, 8000, 10_000, 12_000];
    const ramp = steps.length ? await capacity(servers.project, clients, steps, { durationMs: 10_000, intervalMs }, 100) : [];

    out('\nsoak');
    const soakOptions = quick
      ? { visitors: 50, messagesEach: 5, intervalMs: 1000, durationMs: 10_000, sampleMs: 5000 }
      : { visitors: 200, messagesEach: 5, intervalMs: 1000, durationMs: 120_000, sampleMs: 15_000 };
    const soaked = await soak(servers.project, clients, soakOptions);
    for (const s of soaked.samples) out(`  ${fmt(s.seconds, 0).padStart(4)} s: heap ${mib(s.heapUsed)}, RSS ${mib(s.rss)}`);

    // ---- Markdown ----
    const c = Object.fromEntries(levels.map((n) => [n, { bare: combine(closed[n].bare), project: combine(closed[n].project) }]));
    const o = Object.fromEntries(levels.map((n) => [n, { bare: combine(open[n].bare), project: combine(open[n].project) }]));
    md.push(
      '## End to end over loopback, against a bare socket.io echo server',
      '',
      `Both servers run on this machine with the same Node and socket.io server options (64 KB messages, no compression, connection-state recovery); the same ${clientProcesses} client processes (socket.io-client, WebSocket only) drive them alternately, ${rounds === 1 ? 'once' : `${rounds} rounds, the order swapped each round, medians shown`}. ${place.pinned ? `Pinned with taskset: ${place.note}.` : `Not pinned (${place.note}).`} Visitors ask the English evaluation questions (answers and fallbacks, no crisis messages) and continue their conversation as the widget does. Server CPU is the server process's own CPU time (user + system) over the run divided by the messages acknowledged. Load is the machine's 1-minute load average when the run started: this machine is shared, so compare figures of the same run, above all the ratios.`,
      '',
      `### Closed loop (each visitor sends its next message when the last is answered; ${closedMs / 1000} s per run)`,
      '',
      '| visitors | bare msgs/s | project msgs/s | ratio | bare p50 / p99 | project p50 / p99 | bare CPU/msg | project CPU/msg | CPU ratio | load |',
      '|---|---|---|---|---|---|---|---|---|---|',
      ...levels.map((n) => {
        const { bare, project } = c[n];
        return `| ${int(n)} | ${int(bare.perSecond)} | ${int(project.perSecond)} | ${fmt(project.perSecond / bare.perSecond, 3)} | ${fmt(bare.p50)} / ${fmt(bare.p99)} ms | ${fmt(project.p50)} / ${fmt(project.p99)} ms | ${fmt(bare.cpuPerMessage)} µs | ${fmt(project.cpuPerMessage)} µs | ${fmt(project.cpuPerMessage / bare.cpuPerMessage)}x | ${fmt(project.load, 2)} |`;
      }),
      '',
      `### Open loop (each visitor sends one message every ${intervalMs / 1000} s, whatever the replies do; ${openMs / 1000} s per run)`,
      '',
      '| visitors | messages | bare p50 / p99 | project p50 / p99 | bare CPU/msg | project CPU/msg | load |',
      '|---|---|---|---|---|---|---|',
      ...levels.map((n) => {
        const { bare, project } = o[n];
        return `| ${int(n)} | ${int(project.messages)} | ${fmt(bare.p50)} / ${fmt(bare.p99)} ms | ${fmt(project.p50)} / ${fmt(project.p99)} ms | ${fmt(bare.cpuPerMessage)} µs | ${fmt(project.cpuPerMessage)} µs | ${fmt(project.load, 2)} |`;
      }),
      '',
      'At a low message rate the open-loop CPU per message also carries the servers\' idle work (timers, heartbeats, the probe): the closed-loop figure is the one to compare.',
      '',
    );
    const errors = levels.flatMap((n) => [c[n].project, o[n].project, c[n].bare, o[n].bare]);
    const failed = errors.reduce((k, f) => k + f.errors, 0);
    const codes = errors.reduce<Record<string, number>>((acc, f) => {
      for (const [code, k] of Object.entries(f.errorCodes)) acc[code] = (acc[code] ?? 0) + k;
      return acc;
    }, {});
    md.push(`Unanswered messages (timeouts): ${failed}; error replies: ${Object.keys(codes).length ? JSON.stringify(codes) : 'none'}.`, '');

    md.push(
      `### Connections`,
      '',
      `Memory per idle connection with ${int(idle.project.connections)} open (heap after a full GC, before and after they connect):`,
      '',
      '| server | connections | heap per connection | RSS per connection |',
      '|---|---|---|---|',
      ...Object.values(idle).map((m) => `| ${m.kind} | ${int(m.connections)} | ${kib(m.heapPerConnection)} | ${kib(m.rssPerConnection)} |`),
      '',
    );
    // The last step under the limit before it was passed twice in a row.
    const firstOfPair = ramp.findIndex((s, i) => s.figures.p99 > 100 && (ramp[i + 1]?.figures.p99 ?? 0) > 100);
    const passing = (firstOfPair < 0 ? ramp : ramp.slice(0, firstOfPair)).filter((s) => s.figures.p99 <= 100);
    if (ramp.length) {
      md.push(
        `Most connections before the open-loop p99 passes 100 ms (the project; connections added in steps, 2 s to settle, then 10 s of one message per visitor every ${intervalMs / 1000} s; the ramp stops when p99 passes 100 ms at two steps in a row):`,
        '',
        '| connections | messages | p50 | p99 | CPU/msg | load |',
        '|---|---|---|---|---|---|',
        ...ramp.map((s) => `| ${int(s.connections)} | ${int(s.figures.messages)} | ${fmt(s.figures.p50)} ms | ${fmt(s.figures.p99)} ms | ${fmt(s.figures.cpuPerMessage)} µs | ${fmt(s.figures.load, 2)} |`),
        '',
        firstOfPair < 0
          ? `p99 did not pass 100 ms twice in a row up to ${int(ramp.at(-1)!.connections)} connections, the last step tried${passing.length ? `; the most with p99 under 100 ms: ${int(passing.at(-1)!.connections)}` : ''}.`
          : `Most connections with p99 under 100 ms: ${passing.length ? int(passing.at(-1)!.connections) : `fewer than ${int(ramp[0].connections)}`} (p99 passed it at ${int(ramp[firstOfPair].connections)} and the next step).`,
        '',
      );
    } else md.push('(The capacity ramp runs only in the full benchmark.)', '');

    const first = soaked.samples[1] ?? soaked.samples[0];
    const last = soaked.samples.at(-1)!;
    const minutes = (last.seconds - first.seconds) / 60;
    md.push(
      `### Soak (${soakOptions.durationMs / 1000} s)`,
      '',
      `${soakOptions.visitors} visitors at a time, each sending ${soakOptions.messagesEach} messages a second apart and leaving, replaced at once by a new one (a new conversation): ${int(soaked.figures.messages)} messages, p50 ${fmt(soaked.figures.p50)} ms, p99 ${fmt(soaked.figures.p99)} ms, ${soaked.figures.errors} errors. The server's memory after a full GC:`,
      '',
      '| seconds | heap | RSS |',
      '|---|---|---|',
      ...soaked.samples.map((s) => `| ${fmt(s.seconds, 0)} | ${mib(s.heapUsed)} | ${mib(s.rss)} |`),
      '',
      `Heap growth from the first sample under load to the last: ${mib(last.heapUsed - first.heapUsed)} over ${fmt(minutes, 1)} min (${minutes > 0 ? mib((last.heapUsed - first.heapUsed) / minutes) : '-'} per minute). Conversations stay in memory until CONVERSATION_IDLE_MINUTES (120 by default) without messages, so heap grows with the conversations started within that time and is freed as they expire.`,
      '',
    );

    // ---- Targets (issue 13) ----
    const at = (n: number) => c[n] ?? c[levels.at(-1)!];
    const cpuNow = median(levels.map((n) => c[n].project.cpuPerMessage));
    const ratios = levels.map((n) => c[n].project.perSecond / c[n].bare.perSecond);
    const p99at1000 = o[1000]?.project.p99;
    md.push(
      '### Against the targets',
      '',
      '| target | measured | |',
      '|---|---|---|',
      `| server CPU per message at most 0.1 ms at the current corpus | ${fmt(cpuNow / 1000, 3)} ms (median over the closed-loop runs) | ${met(cpuNow <= 100)} |`,
      `| end-to-end throughput at least 30% of the bare echo server (aim 70%) | ${ratios.map((r, i) => `${fmt(r * 100, 1)}% at ${int(levels[i])}`).join(', ')} | ${met(ratios.every((r) => r >= 0.3))} |`,
      `| p99 under 25 ms, 1,000 visitors, one message every 5 s each (open loop) | ${p99at1000 === undefined ? 'not run (--quick)' : `${fmt(p99at1000)} ms`} | ${p99at1000 === undefined ? '-' : met(p99at1000 < 25)} |`,
      `| at most 20 KB per idle connection | ${kib(idle.project.heapPerConnection)} heap (bare: ${kib(idle.bare.heapPerConnection)}) at ${int(idle.project.connections)} connections | ${met(idle.project.heapPerConnection <= 20 * 1024)} |`,
      '',
      `Server CPU per message at 1,000 entries is not measured end to end; the matcher's share at 1,000 entries is in the micro-benchmarks below. The closed-loop figure for the project at ${int(at(100).project.connections)} visitors: ${fmt(at(100).project.cpuPerMessage)} µs against ${fmt(at(100).bare.cpuPerMessage)} µs for the bare server.`,
      '',
    );
    return md.join('\n');
  } finally {
    clients.stop();
    await servers.bare.stop();
    await servers.project.stop();
  }
}
