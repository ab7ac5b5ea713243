// Runs once before all test files: builds the server (dist/) and the widget (client/widget/dist/), so
// that no test file compiles into the shared dist/ while another one runs from it; and starts one
// PostgreSQL and one Redis for the whole run (test/support/services.mjs), which global-teardown.mjs stops.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findServers, loudSkip, startServers } from './support/services.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export default async function globalSetup() {
  execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit',
  });
  execFileSync(process.execPath, [path.join(root, 'client/build.mjs'), '--quiet'], { cwd: root, stdio: 'inherit' });

  const found = findServers();
  if (found.missing.length) {
    const message = loudSkip(found.missing);
    // CI installs both servers first (.ci/run): there a skip is a failure.
    if (process.env.KAP_REQUIRE_SCALE_TESTS === '1') throw new Error(`${message}\nKAP_REQUIRE_SCALE_TESTS=1: a skip is a failure.`);
    process.stderr.write(message);
    return;
  }
  const servers = await startServers(found);
  globalThis.__kapServers = servers;
  // Also when the run ends without its teardown (an interrupted run): no server outlives it.
  process.once('exit', () => servers.stop());
  // Test workers start after this and inherit these.
  process.env.KAP_TEST_DATABASE_URL = servers.databaseUrl;
  process.env.KAP_TEST_REDIS_URL = servers.redisUrl;
  process.env.KAP_TEST_REDIS_COMMAND = JSON.stringify(servers.redisCommand);
}
