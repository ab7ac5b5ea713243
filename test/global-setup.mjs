// Runs once before all test files: builds the server (dist/) and the widget (client/widget/dist/), so
// that no test file compiles into the shared dist/ while another one runs from it.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export default function globalSetup() {
  execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit',
  });
  execFileSync(process.execPath, [path.join(root, 'client/build.mjs'), '--quiet'], { cwd: root, stdio: 'inherit' });
}
