import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { readManifest, repoRoot } from './support/browser.js';

/**
 * The built widget (client/build.mjs), built afresh here: its gzipped size budget, a deterministic
 * build, and nothing in the bundles that a strict CSP forbids or that writes HTML from strings.
 */

const KB = 1024;
const dirs: string[] = [];

function build(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kap-widget-build-'));
  dirs.push(dir);
  execFileSync(process.execPath, [path.join(repoRoot, 'client/build.mjs'), '--outdir', dir, '--quiet'], { stdio: 'pipe' });
  return dir;
}

describe('the widget bundle', () => {
  let dir: string;
  let loader: string;
  let app: string;

  beforeAll(() => {
    dir = build();
    const manifest = readManifest(dir);
    loader = readFileSync(path.join(dir, manifest.loader), 'utf8');
    app = readFileSync(path.join(dir, manifest.app), 'utf8');
  });
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('keeps the loader within 10 KB and loader plus app within 40 KB, gzipped (socket.io-client included)', () => {
    const gz = (text: string) => gzipSync(text, { level: 9 }).length;
    const sizes = { loader: gz(loader), app: gz(app), total: gz(loader) + gz(app) };
    process.stdout.write(
      `widget sizes (gzip -9): loader ${(sizes.loader / KB).toFixed(1)} KB, app ${(sizes.app / KB).toFixed(1)} KB, ` +
        `total ${(sizes.total / KB).toFixed(1)} KB (raw ${(loader.length / KB).toFixed(1)} KB + ${(app.length / KB).toFixed(1)} KB)\n`,
    );
    expect(sizes.loader).toBeLessThanOrEqual(10 * KB);
    expect(sizes.total).toBeLessThanOrEqual(40 * KB);
    // The socket.io client really is in the app bundle (Engine.IO protocol 4), not fetched from elsewhere.
    expect(app).toContain('EIO');
    expect(loader).not.toContain('EIO');
  });

  it('builds the same bytes every time, with a content hash in the app file name', () => {
    const again = build();
    const files = readdirSync(dir).sort();
    expect(readdirSync(again).sort()).toEqual(files);
    for (const file of files)
      expect(readFileSync(path.join(again, file), 'utf8')).toBe(readFileSync(path.join(dir, file), 'utf8'));
    const manifest = readManifest(dir);
    expect(manifest.loader).toBe('widget.js');
    expect(manifest.app).toMatch(/^app\.[0-9a-f]{12}\.js$/);
    expect(manifest.app).toBe(`app.${createHash('sha256').update(app).digest('hex').slice(0, 12)}.js`);
    // The loader knows which app file to fetch.
    expect(loader).toContain(manifest.app);
  });

  it('contains no eval, no Function constructor, no document.write and no inline style', () => {
    for (const code of [loader, app]) {
      expect(code).not.toMatch(/\beval\s*\(/);
      expect(code).not.toMatch(/new\s+Function\s*\(/);
      expect(code).not.toMatch(/document\.write/);
      expect(code).not.toMatch(/\.style\.|setAttribute\(\s*["']style|cssText/);
      expect(code).not.toMatch(/insertAdjacentHTML|outerHTML/);
      expect(code).not.toMatch(/localStorage|document\.cookie|indexedDB/);
    }
    // HTML is parsed in exactly one place: the inert <template> of the reply sanitiser.
    expect(loader).not.toContain('innerHTML');
    expect(app.match(/innerHTML/g)).toHaveLength(1);
  });
});
