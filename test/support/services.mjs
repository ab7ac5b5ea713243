// Real PostgreSQL and Redis servers for one test run: started once by jest's global set-up, on loopback,
// on free ports, in a temporary folder, and stopped by the global teardown. Test files read their
// addresses from KAP_TEST_DATABASE_URL (an admin URL: each file creates its own database) and
// KAP_TEST_REDIS_URL. When either server's programs cannot be found, the tests that need them are
// skipped, loudly; with KAP_REQUIRE_SCALE_TESTS=1 (CI) that is an error instead.
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const PG_USER = 'app';

/** A program on PATH, else in the given folders; null when nowhere. */
function findProgram(name, folders = []) {
  for (const dir of [...(process.env.PATH ?? '').split(path.delimiter), ...folders]) {
    const file = path.join(dir, name);
    if (dir && existsSync(file)) return file;
  }
  return null;
}

/** Debian keeps the server programs in /usr/lib/postgresql/<version>/bin: the newest first. */
function postgresFolders() {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .sort((a, b) => Number(b) - Number(a))
    .map((v) => path.join(root, v, 'bin'));
}

export function findServers() {
  const folders = postgresFolders();
  const initdb = findProgram('initdb', folders);
  const pgCtl = findProgram('pg_ctl', folders);
  const redis = findProgram('redis-server', ['/usr/sbin', '/usr/bin']);
  const missing = [!initdb || !pgCtl ? 'PostgreSQL (initdb, pg_ctl)' : null, !redis ? 'Redis (redis-server)' : null].filter(Boolean);
  return { initdb, pgCtl, redis, missing };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** initdb refuses to run as root: as root, the cluster belongs to the `postgres` user (README, "Tests"). */
function asPostgresUser(program, args) {
  if (process.getuid?.() !== 0) return [program, args];
  return ['runuser', ['-u', 'postgres', '--', program, ...args]];
}

function run(program, args, what) {
  const [cmd, argv] = program;
  const result = spawnSync(cmd, [...argv, ...args], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${what} failed (${result.status}): ${result.stderr || result.stdout || result.error?.message}`);
}

async function waitForPort(port, timeoutMs, probe) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.setTimeout(1000);
      let data = '';
      socket.once('connect', () => (probe ? socket.write(probe.send) : (socket.end(), resolve(true))));
      socket.on('data', (chunk) => {
        data += chunk;
        if (probe && data.includes(probe.expect)) {
          socket.end();
          resolve(true);
        }
      });
      socket.once('error', () => resolve(false));
      socket.once('timeout', () => (socket.destroy(), resolve(false)));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing answered on port ${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Starts both servers; returns their URLs and a `stop` that ends them and removes the folder. */
export async function startServers(found) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kap-servers-'));
  const [pgPort, redisPort] = [await freePort(), await freePort()];
  const pgData = path.join(dir, 'pg');
  const pgCtl = asPostgresUser(found.pgCtl, []);
  let pgStarted = false;
  let redisPidFile = null;
  let redisCommand = null;
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    if (pgStarted) spawnSync(pgCtl[0], [...pgCtl[1], 'stop', '-D', pgData, '-m', 'fast', '-w'], { stdio: 'ignore' });
    if (redisPidFile && existsSync(redisPidFile)) {
      try {
        process.kill(Number(readFileSync(redisPidFile, 'utf8').trim()), 'SIGTERM');
      } catch {
        // already gone
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    if (process.getuid?.() === 0) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres']).toString().trim()), 0);
    run(asPostgresUser(found.initdb, []), ['-D', pgData, '-A', 'trust', '-U', PG_USER, '-E', 'UTF8', '--locale=C', '--no-sync'], 'initdb');
    // Test settings only: no fsync (the folder is thrown away), enough connections for every test file.
    const options = `-p ${pgPort} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
    run(pgCtl, ['start', '-D', pgData, '-w', '-t', '30', '-l', path.join(dir, 'pg.log'), '-o', options], 'pg_ctl start');
    pgStarted = true;

    redisPidFile = path.join(dir, 'redis.pid');
    redisCommand = [
      found.redis,
      ...['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'yes'],
      ...['--pidfile', redisPidFile, '--dir', dir, '--logfile', path.join(dir, 'redis.log')],
    ];
    run([redisCommand[0], []], redisCommand.slice(1), 'redis-server');
    await waitForPort(redisPort, 10_000, { send: 'PING\r\n', expect: '+PONG' });
    await waitForPort(pgPort, 10_000);
  } catch (err) {
    stop();
    throw err;
  }
  return {
    databaseUrl: `postgres://${PG_USER}@127.0.0.1:${pgPort}/postgres`,
    redisUrl: `redis://127.0.0.1:${redisPort}`,
    // The fault tests stop Redis and start it again with this very command (same port, same pid file,
    // so the teardown still stops it).
    redisCommand,
    stop,
  };
}

export function loudSkip(missing) {
  const lines = [
    `SCALE TESTS SKIPPED: ${missing.join(' and ')} not found.`,
    'The PostgreSQL, Redis and several-instance tests did not run.',
    'Install them (README, "Deployment (several instances)"): apt-get install -y postgresql redis-server',
  ];
  const width = Math.max(...lines.map((l) => l.length));
  const bar = '*'.repeat(width + 4);
  return ['', bar, ...lines.map((l) => `* ${l.padEnd(width)} *`), bar, ''].join('\n');
}
