import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ask, connectVisitor, startApp } from './support/app.js';

/**
 * Hardening items 21 and 23: the data folder is private; missing files are 404 and every response has
 * safe headers.
 */
describe('files and headers', () => {
  it('keeps the data folder private (0700) and its files 0600', async () => {
    const dataDir = path.join(mkdtempSync(path.join(tmpdir(), 'kap-perm-')), 'data');
    const running = await startApp({ DATA_DIR: dataDir });
    try {
      expect(statSync(dataDir).mode & 0o777).toBe(0o700);
      expect(statSync(path.join(dataDir, 'kap.sqlite')).mode & 0o777).toBe(0o600);
      // SQLite gives its write-ahead log the database file's permissions.
      await ask(await connectVisitor(running.url), { text: 'I want to kill myself' });
      for (const f of ['kap.sqlite-wal', 'kap.sqlite-shm'])
        if (existsSync(path.join(dataDir, f))) expect(statSync(path.join(dataDir, f)).mode & 0o077).toBe(0);
    } finally {
      await running.close();
    }
  });

  it('answers 404 for a widget file that is not there, and sends safe headers on JSON', async () => {
    const running = await startApp({});
    try {
      expect((await fetch(`${running.url}/widget/app.0123456789ab.js`)).status).toBe(404);
      const config = await fetch(`${running.url}/api/widget/config`);
      expect(config.headers.get('x-content-type-options')).toBe('nosniff');
      expect(config.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
      // The demo page sets its own, looser policy over the default.
      expect((await fetch(`${running.url}/`)).headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    } finally {
      await running.close();
    }
  });
});
