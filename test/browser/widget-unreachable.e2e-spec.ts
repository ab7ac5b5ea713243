import type { Browser, Page } from 'puppeteer-core';
import { UI_STRINGS } from '../../client/widget/src/shared/strings.js';
import { AnswerComposer } from '../../src/answers/answer-composer.js';
import { startApp, type RunningApp } from '../support/app.js';
import { freePort } from '../support/webhook.js';
import {
  DEMO_CSP,
  inWidget,
  launchBrowser,
  openPage,
  openWidget,
  seriousAxeViolations,
  waitForWidget,
  waitInWidget,
  withSnippetAttributes,
  type PageLog,
} from './support/browser.js';

/**
 * A visitor in crisis must always see crisis resources, whatever fails: when the server cannot be
 * reached at all the widget shows the resources built into it, and when the server refuses a message
 * that showed distress it shows the resources the refusal carries.
 */

/** The built-in resources, in both languages: one-tap links, 911 last (nothing here says the danger is immediate). */
const BUILT_IN = {
  en: [
    { href: 'tel:988', label: 'Call 988' },
    { href: 'sms:988', label: 'Text 988' },
    { href: 'sms:741741?&body=HOME', label: 'Text HOME to 741741' },
    { href: 'tel:911', label: 'Call 911' },
  ],
  es: [
    { href: 'tel:988', label: 'Llame al 988 (marque 2 para español)' },
    { href: 'sms:988?&body=AYUDA', label: 'Envíe AYUDA al 988' },
    { href: 'sms:741741?&body=AYUDA', label: 'Envíe AYUDA al 741741' },
    { href: 'tel:911', label: 'Llame al 911' },
  ],
};

describe('crisis resources when the server cannot help', () => {
  let running: RunningApp;
  let browser: Browser;
  const pages: Page[] = [];

  beforeAll(async () => {
    [running, browser] = await Promise.all([
      startApp({ CLINIC_NAME: 'Example Clinic', CLINIC_PHONE: '555-0100', RATE_LIMIT_MESSAGES: '2' }),
      launchBrowser(),
    ]);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await running?.close();
  });
  afterEach(async () => {
    await Promise.all(pages.splice(0).map((p) => p.close().catch(() => undefined)));
  });

  function banner(page: Page) {
    return inWidget(page, (root) => {
      const el = root.querySelector('.kw-banner') as HTMLElement;
      return {
        shown: !el.hidden && el.getClientRects().length > 0,
        role: el.getAttribute('role'),
        intro: el.querySelector('p')?.textContent ?? null,
        links: Array.from(el.querySelectorAll('a')).map((a) => ({ href: a.getAttribute('href'), label: a.textContent })),
      };
    });
  }

  function noProblems(log: PageLog): void {
    expect(log.csp).toEqual([]);
    expect(log.errors).toEqual([]);
    expect(log.executed).toEqual([]);
  }

  it.each([
    ['en', '/'],
    ['es', '/es.html'],
  ] as const)(
    'shows the built-in resources, calmly, when the server can never be reached (%s)',
    async (locale, pathname) => {
      // The page and the widget come from the bot's host, but its chat server is somewhere nothing answers.
      const dead = `http://127.0.0.1:${await freePort()}`;
      const { page, log } = await openPage(browser, {
        rewrite: withSnippetAttributes({ 'data-server': `${dead}/` }),
        headers: (headers) => ({
          ...headers,
          'content-security-policy': DEMO_CSP.replace("connect-src 'self'", `connect-src 'self' ${dead}`),
        }),
      });
      pages.push(page);
      await page.goto(`${running.url}${pathname}`, { waitUntil: 'load' });
      await openWidget(page);
      await waitInWidget(page, (root) => !(root.querySelector('.kw-banner') as HTMLElement).hidden, 20_000);
      expect(await banner(page)).toEqual({
        shown: true,
        role: 'region',
        intro: UI_STRINGS[locale].unreachable,
        links: BUILT_IN[locale],
      });
      // Calm: said politely, not as an alert; the visitor can still write (it is kept for later).
      await waitInWidget(
        page,
        (root, text) => (root.querySelector('.kw-announcer')?.textContent ?? '').startsWith(text),
        5000,
        UI_STRINGS[locale].unreachable,
      );
      expect(await inWidget(page, (root) => root.querySelector('[role="alert"]')!.textContent)).toBe('');
      expect(await inWidget(page, (root) => (root.querySelector('textarea') as HTMLTextAreaElement).disabled)).toBe(false);
      expect(await seriousAxeViolations(page)).toEqual([]);
      noProblems(log);
    },
    40_000,
  );

  it('shows the resources a refusal carries when the refused message showed distress (rate_limited)', async () => {
    const { page, log } = await openPage(browser);
    pages.push(page);
    await page.goto(`${running.url}/`, { waitUntil: 'load' });
    await openWidget(page);
    const send = async (text: string) => {
      await page.click('kap-chat >>> #kw-input');
      await page.keyboard.type(text);
      await page.keyboard.press('Enter');
    };
    // Two messages are this connection's allowance here.
    await send('What is KAP?');
    await waitInWidget(page, (root) => root.querySelectorAll('.kw-bot').length === 1);
    await send('Is it safe?');
    await waitInWidget(page, (root) => root.querySelectorAll('.kw-bot').length === 2);
    expect((await banner(page)).shown).toBe(false);

    await send('I feel hopeless. How fast does ketamine work?');
    await waitInWidget(
      page,
      (root, text) => (Array.from(root.querySelectorAll('.kw-visitor .kw-note')).pop()?.textContent ?? '').includes(text),
      10_000,
      UI_STRINGS.en.rateLimited,
    );
    await waitInWidget(page, (root) => !(root.querySelector('.kw-banner') as HTMLElement).hidden);
    // The server's own list (the clinic's line included), in its order, one tap each.
    const expected = running.app
      .get(AnswerComposer)
      .resources('en', false)
      .filter((r) => /^(tel|sms):/.test(r.href))
      .map((r) => ({ href: r.href, label: r.label }));
    expect(expected.map((r) => r.href)).toContain('tel:5550100');
    expect(await banner(page)).toEqual({ shown: true, role: 'region', intro: UI_STRINGS.en.bannerText, links: expected });
    noProblems(log);
  }, 40_000);

  it.each([
    ['en', '/'],
    ['es', '/es.html'],
  ] as const)(
    'shows the built-in resources with the launcher when the rest of the widget cannot load (%s)',
    async (locale, pathname) => {
      const { page, log } = await openPage(browser, { failApp: true });
      pages.push(page);
      await page.goto(`${running.url}${pathname}`, { waitUntil: 'load' });
      await waitForWidget(page, '.kw-launcher', { visible: true });
      await page.click('kap-chat >>> .kw-launcher');
      await waitForWidget(page, '.kw-load-error', { visible: true });
      const shown = await inWidget(page, (root) => {
        const box = root.querySelector('.kw-load-error') as HTMLElement;
        const launcher = root.querySelector('.kw-launcher')!;
        return {
          links: Array.from(box.querySelectorAll('a')).map((a) => ({ href: a.getAttribute('href'), label: a.textContent })),
          describedBy: root.getElementById(launcher.getAttribute('aria-describedby') ?? '')?.textContent ?? null,
          panel: root.querySelector('.kw-panel') !== null,
        };
      });
      expect(shown).toEqual({
        links: BUILT_IN[locale],
        describedBy:
          locale === 'en' ? 'The chat could not load. Please try again.' : 'No se pudo cargar el chat. Inténtelo de nuevo.',
        panel: false,
      });
      // One tap away by keyboard too: right after the launcher.
      await page.keyboard.press('Tab');
      expect(
        await page.evaluate(() => document.querySelector('kap-chat')!.shadowRoot!.activeElement?.getAttribute('href') ?? null),
      ).toBe(BUILT_IN[locale][0].href);
      expect(await seriousAxeViolations(page)).toEqual([]);
      expect(log.csp).toEqual([]);
    },
  );
});
