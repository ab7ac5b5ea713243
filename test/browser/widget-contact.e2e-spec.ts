import type { Browser, HTTPResponse, Page } from 'puppeteer-core';
import { startApp, type RunningApp } from '../support/app.js';
import { askWidget, inWidget, launchBrowser, openPage, waitForWidget } from './support/browser.js';

/**
 * "Talk to a person" promises a way to reach a person: with no clinic contact configured (the server's
 * /api/widget/config gives only a name), the widget does not offer it at all.
 */

describe('"Talk to a person" without clinic contact details', () => {
  let running: RunningApp;
  let browser: Browser;
  const pages: Page[] = [];

  beforeAll(async () => {
    // No CLINIC_* settings at all: the configuration has only the default name.
    [running, browser] = await Promise.all([startApp({}), launchBrowser()]);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await running?.close();
  });
  afterEach(async () => {
    await Promise.all(pages.splice(0).map((p) => p.close().catch(() => undefined)));
  });

  it.each([['/'], ['/es.html']])('is not offered when nothing is configured (%s)', async (pathname) => {
    const { page, log } = await openPage(browser);
    pages.push(page);
    await page.goto(`${running.url}${pathname}`, { waitUntil: 'load' });
    // Opening asks for the configuration; a question and its answer later, it has long been read.
    const config = page
      .waitForResponse((r: HTTPResponse) => r.url().endsWith('/api/widget/config'), { timeout: 10_000 })
      .catch(() => null);
    await page.click('kap-chat >>> .kw-launcher');
    await waitForWidget(page, '.kw-panel', { visible: true });
    await askWidget(page, pathname === '/' ? 'What is KAP?' : '¿Qué es la terapia asistida con ketamina?');
    const response = await config;
    const tools = await inWidget(page, (root) => ({
      contact: (root.querySelector('.kw-contact-btn') as HTMLElement).getClientRects().length > 0,
      clear: (root.querySelector('.kw-clear-btn') as HTMLElement).getClientRects().length > 0,
    }));
    expect(tools).toEqual({ contact: false, clear: true });
    expect(await response?.json()).toEqual({ clinic: {}, locales: ['en', 'es'] });
    expect(log.errors).toEqual([]);
  });
});
