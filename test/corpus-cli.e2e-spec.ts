import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../src/paths.js';

const run = promisify(execFile);
const corpus = (...args: string[]) =>
  run(process.execPath, ['dist/cli/corpus.js', ...args], { cwd: projectRoot, env: { ...process.env, DATA_DIR: '' } });

/** `npm run corpus -- import / export`: the shipped corpus round-trips byte for byte. */
describe('corpus import and export (command line)', () => {
  let work: string;
  beforeAll(() => {
    work = mkdtempSync(path.join(tmpdir(), 'kap-corpus-cli-'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('refuses to touch a store it was not given', async () => {
    await expect(corpus('import')).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/--data-dir/) });
    await expect(corpus('export', path.join(work, 'nowhere'))).rejects.toMatchObject({ code: 2 });
  });

  it('imports the shipped corpus and exports byte-identical files; importing again changes nothing', async () => {
    const store = path.join(work, 'store');
    const out = path.join(work, 'out');
    const locales = ['en', 'es'];
    const shipped = Object.fromEntries(locales.map((l) => [l, readdirSync(path.join(projectRoot, 'knowledge', l)).sort()]));
    const total = locales.reduce((n, l) => n + shipped[l].length, 0);
    expect((await corpus('import', '--data-dir', store)).stdout).toContain(`${total} added`);
    await corpus('export', out, '--data-dir', store);
    for (const locale of locales) {
      expect(readdirSync(path.join(out, locale)).sort()).toEqual(shipped[locale]);
      for (const name of shipped[locale]) {
        expect(readFileSync(path.join(out, locale, name), 'utf8')).toBe(readFileSync(path.join(projectRoot, 'knowledge', locale, name), 'utf8'));
      }
    }
    expect((await corpus('import', out, '--data-dir', store)).stdout).toMatch(/no changes/);
  }, 30_000);
});
