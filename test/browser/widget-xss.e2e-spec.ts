import type { Browser } from 'puppeteer-core';
import { startApp, type RunningApp } from '../support/app.js';
import { readLines } from '../support/fixtures.js';
import { inWidget, launchBrowser, openPage, waitForWidget, waitInWidget } from './support/browser.js';

/**
 * Visitor text is always text: public XSS payloads (test/fixtures/xss-payloads.txt) typed or asked as
 * visitor messages must show exactly as written, add no markup, and run nothing.
 */

/** Every STEP-th payload (plus the first few typed by keyboard): a spread over the whole list. */
const STEP = Number(process.env.XSS_STEP ?? 10);
const TYPED = 5;
/** Time allowed grows with the sample (XSS_STEP=1 sends all 6,613: several minutes, not for every run). */
const TIMEOUT = Math.max(120_000, Math.ceil(6613 / STEP) * 60);

describe('the widget against XSS payloads in visitor text', () => {
  let running: RunningApp;
  let browser: Browser;

  beforeAll(async () => {
    [running, browser] = await Promise.all([startApp({ RATE_LIMIT_MESSAGES: '100000' }), launchBrowser()]);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await running?.close();
  });

  it(
    'shows every payload as the visitor wrote it, adds no markup and runs nothing',
    async () => {
      const all = readLines('xss-payloads.txt').filter((p) => p.trim() && p.trim().length <= 1000);
      const sample = all.filter((_, i) => i < TYPED || i % STEP === 0);
      expect(sample.length).toBeGreaterThan(100);

      const { page, log } = await openPage(browser);
      await page.goto(`${running.url}/`, { waitUntil: 'load' });
      await page.click('kap-chat >>> .kw-launcher');
      await waitForWidget(page, '.kw-panel', { visible: true });
      const documentElements = await page.evaluate(() => document.querySelectorAll('*').length);

      // A few through the keyboard, the rest through the public API (the same path into the widget).
      for (const payload of sample.slice(0, TYPED)) {
        await page.click('kap-chat >>> #kw-input');
        await page.keyboard.sendCharacter(payload);
        await page.keyboard.press('Enter');
      }
      await page.evaluate((rest: string[]) => rest.forEach((text) => (window as any).KapChat.ask(text)), sample.slice(TYPED));
      await waitInWidget(
        page,
        (root, n) =>
          root.querySelectorAll('.kw-visitor').length === n && root.querySelectorAll('.kw-bot, .kw-crisis').length === n,
        TIMEOUT - 30_000,
        sample.length,
      );

      const result = await inWidget(page, (root) => {
        const texts = Array.from(root.querySelectorAll('.kw-visitor .kw-text'));
        const everything = Array.from(root.querySelectorAll('*'));
        return {
          texts: texts.map((t) => t.textContent),
          markupInVisitorText: texts.filter((t) => t.childElementCount > 0 || t.childNodes.length !== 1).length,
          handlers: everything
            .filter((el) => Array.from(el.attributes).some((a) => /^on/i.test(a.name)))
            .map((el) => el.outerHTML.slice(0, 100)),
          dangerous: everything
            .filter((el) =>
              /^(script|iframe|frame|object|embed|img|image|video|audio|svg|math|style|link|meta|base|form|input|x|details|marquee)$/i.test(
                el.localName,
              ),
            )
            // The widget's own icon and its own form (the composer) are expected.
            .filter((el) => !el.closest('.kw-icon') && !el.classList.contains('kw-composer'))
            .map((el) => el.outerHTML.slice(0, 100)),
          javascriptLinks: everything.filter((el) => /^\s*javascript:/i.test(el.getAttribute('href') ?? '')).length,
        };
      });
      expect(result.texts).toEqual(sample.map((p) => p.trim()));
      expect(result.markupInVisitorText).toBe(0);
      expect(result.handlers).toEqual([]);
      expect(result.dangerous).toEqual([]);
      expect(result.javascriptLinks).toBe(0);
      // Nothing was added to the page outside the widget, and nothing ran.
      expect(await page.evaluate(() => document.querySelectorAll('*').length)).toBe(documentElements);
      expect(log.executed).toEqual([]);
      expect(log.csp).toEqual([]);
      expect(log.errors).toEqual([]);
      await page.close();
    },
    TIMEOUT,
  );
});
