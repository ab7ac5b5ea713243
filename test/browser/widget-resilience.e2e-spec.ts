import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'puppeteer-core';
import { UI_STRINGS } from '../../client/widget/src/shared/strings.js';
import { startApp, type RunningApp } from '../support/app.js';
import { inWidget, launchBrowser, openPage, waitForWidget, waitInWidget } from './support/browser.js';

/**
 * The server goes away in the middle of a conversation and comes back on the same port: the widget
 * shows that it is offline, keeps what the visitor types meanwhile, shows its built-in crisis resources
 * while that message waits, reconnects by itself, and delivers the queued message exactly once.
 */

describe('the chat widget when the server restarts', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'kap-widget-restart-'));
  const env = { CLINIC_NAME: 'Example Clinic', DATA_DIR: dataDir };
  let running: RunningApp | undefined;
  let browser: Browser;

  beforeAll(async () => {
    [running, browser] = await Promise.all([startApp(env), launchBrowser()]);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await running?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows offline, keeps a message typed meanwhile, and delivers it once after reconnecting', async () => {
    const { page, log } = await openPage(browser);
    const url = running!.url;
    await page.goto(`${url}/`, { waitUntil: 'load' });
    await page.click('kap-chat >>> .kw-launcher');
    await waitForWidget(page, '.kw-panel', { visible: true });
    await waitInWidget(page, (root) => root.querySelector('.kw-status')?.getAttribute('data-state') === 'online');
    await page.keyboard.type('What is KAP?');
    await page.keyboard.press('Enter');
    await waitForWidget(page, '.kw-answer');

    // The server stops.
    await running!.close();
    running = undefined;
    await waitInWidget(page, (root) => root.querySelector('.kw-status')?.getAttribute('data-state') === 'offline');
    expect(await inWidget(page, (root) => root.querySelector('.kw-status')!.textContent)).toMatch(/offline/i);

    // A message typed while offline is shown as waiting, not lost and not sent.
    await page.click('kap-chat >>> #kw-input');
    await page.keyboard.type('Is ketamine addictive?');
    await page.keyboard.press('Enter');
    const queued = await inWidget(page, (root) => {
      const bubbles = root.querySelectorAll('.kw-visitor');
      const last = bubbles[bubbles.length - 1];
      return {
        text: last.querySelector('.kw-text')!.textContent,
        note: (last.querySelector('.kw-note') as HTMLElement).textContent,
      };
    });
    expect(queued).toEqual({ text: 'Is ketamine addictive?', note: expect.stringMatching(/sent when the connection is back/) });

    // The server stays away while the message waits: the crisis resources built into the widget appear, calmly.
    await waitInWidget(page, (root) => !(root.querySelector('.kw-banner') as HTMLElement).hidden, 15_000);
    expect(
      await inWidget(page, (root) => ({
        intro: root.querySelector('.kw-banner p')!.textContent,
        links: Array.from(root.querySelectorAll('.kw-banner a')).map((a) => a.getAttribute('href')),
      })),
    ).toEqual({
      intro: UI_STRINGS.en.unreachable,
      links: ['tel:988', 'sms:988', 'sms:741741?&body=HOME', 'tel:911'],
    });

    // The server comes back on the same port (and the same data folder).
    const port = new URL(url).port;
    running = await startApp({ ...env, PORT: port });
    expect(running.url).toBe(url);

    // It says so when it is back, then delivers the waiting message.
    await waitInWidget(page, (root) => root.querySelector('.kw-status')?.getAttribute('data-state') === 'reconnected', 20_000);
    await waitInWidget(page, (root) => root.querySelectorAll('.kw-answer').length === 2, 20_000);
    const after = await inWidget(page, (root) => ({
      status: root.querySelector('.kw-status')!.getAttribute('data-state'),
      visitor: Array.from(root.querySelectorAll('.kw-visitor .kw-text')).map((e) => e.textContent),
      notes: Array.from(root.querySelectorAll('.kw-visitor .kw-note')).filter((n) => !(n as HTMLElement).hidden).length,
      answers: Array.from(root.querySelectorAll('.kw-answer .kw-q')).map((e) => e.textContent),
      banner: !(root.querySelector('.kw-banner') as HTMLElement).hidden,
    }));
    expect(['reconnected', 'online']).toContain(after.status);
    expect(after.visitor).toEqual(['What is KAP?', 'Is ketamine addictive?']);
    expect(after.notes).toBe(0);
    expect(after.answers).toHaveLength(2);
    expect(after.answers[1]).toMatch(/addict|dependen/i);
    // Answered: the server is back for this visitor, and the resources go with the reason they came for.
    expect(after.banner).toBe(false);

    // Nothing arrives twice later on. One more question proves it: messages go out one at a time, in order,
    // so a second copy of the earlier reply would have come before this one's.
    await page.click('kap-chat >>> #kw-input');
    await page.keyboard.type('How fast does ketamine work?');
    await page.keyboard.press('Enter');
    await waitInWidget(page, (root) => root.querySelectorAll('.kw-answer').length >= 3, 20_000);
    expect(
      await inWidget(page, (root) => ({
        visitor: root.querySelectorAll('.kw-visitor').length,
        answers: root.querySelectorAll('.kw-answer').length,
      })),
    ).toEqual({ visitor: 3, answers: 3 });
    expect(log.csp).toEqual([]);
    expect(log.errors).toEqual([]);
    await page.close();
  }, 60_000);
});
