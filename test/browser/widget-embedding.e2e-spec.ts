import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { startApp, type RunningApp } from '../support/app.js';
import {
  DEMO_CSP,
  inWidget,
  launchBrowser,
  openPage,
  readManifest,
  repoRoot,
  waitForWidget,
  waitInWidget,
  withSnippetAttributes,
  type PageLog,
  type PageOptions,
  openWidget,
  askWidget,
} from './support/browser.js';

/**
 * How the widget lives in someone else's page: the public snippet only, a strict Content-Security-
 * Policy, one global, a small loader that fetches the rest later, host CSS that cannot reach in, the
 * snippet's data attributes, and the <style nonce> fallback.
 */

const DEFAULT_ACCENT_RGB = 'rgb(13, 107, 112)';

describe('embedding the widget', () => {
  let running: RunningApp;
  let browser: Browser;
  const pages: Page[] = [];

  beforeAll(async () => {
    [running, browser] = await Promise.all([
      startApp({ CLINIC_NAME: 'Example Clinic', CLINIC_PHONE: '555-0100' }),
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

  async function demo(
    options: PageOptions & { url?: string; beforeLoad?: (page: Page) => Promise<unknown> } = {},
  ): Promise<{ page: Page; log: PageLog }> {
    const opened = await openPage(browser, options);
    pages.push(opened.page);
    await options.beforeLoad?.(opened.page);
    await opened.page.goto(options.url ?? `${running.url}/`, { waitUntil: 'load' });
    await waitForWidget(opened.page, '.kw-launcher', { visible: true });
    return opened;
  }

  it("works under the demo page's strict CSP: no violations, no inline scripts or style attributes", async () => {
    const opened = await openPage(browser);
    pages.push(opened.page);
    const { page, log } = opened;
    await page.setCacheEnabled(false); // a fresh 200 with all its headers
    const response = await page.goto(`${running.url}/`, { waitUntil: 'load' });
    const csp = response?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe');
    await waitForWidget(page, '.kw-launcher', { visible: true });
    await openWidget(page);
    await askWidget(page, 'What are the side effects of ketamine?');
    await askWidget(page, 'I want to end my life');
    await page.click('kap-chat >>> .kw-contact-btn');
    await waitForWidget(page, '.kw-contact');

    const inline = await page.evaluate(() => {
      const root = document.querySelector('kap-chat')!.shadowRoot!;
      return {
        styleAttributes: root.querySelectorAll('[style]').length + document.querySelectorAll('[style]').length,
        styleElements: root.querySelectorAll('style').length + document.querySelectorAll('style').length,
        adopted: root.adoptedStyleSheets.length,
        inlineScripts: Array.from(document.scripts).filter((s) => !s.src).length,
        scripts: Array.from(document.scripts)
          .map((s) => new URL(s.src).pathname)
          .sort(),
      };
    });
    const { app } = readManifest();
    expect(inline).toEqual({
      styleAttributes: 0,
      styleElements: 0,
      adopted: 1,
      inlineScripts: 0,
      scripts: ['/widget.js', `/widget/${app}`].sort(),
    });
    expect(log.csp).toEqual([]);
    expect(log.errors).toEqual([]);
  });

  it('adds exactly one global, KapChat, whose open, ask and close work', async () => {
    const plain = await openPage(browser, { rewrite: (html) => html.replace(/<script src="\/widget\.js"[^>]*><\/script>/, '') });
    pages.push(plain.page);
    await plain.page.goto(`${running.url}/`, { waitUntil: 'load' });
    const plainNames = await plain.page.evaluate(() => Object.getOwnPropertyNames(window));
    expect(await plain.page.$('kap-chat')).toBeNull();

    const { page } = await demo();
    await page.evaluate(() => (window as any).KapChat.ask('What is KAP?'));
    await waitForWidget(page, '.kw-answer');
    const names = await page.evaluate(() => Object.getOwnPropertyNames(window));
    // (Puppeteer's own bindings for its selector engine are not the widget's.)
    const added = names.filter((n) => !plainNames.includes(n) && !/^(puppeteer_+)?_*ariaQuerySelector/.test(n));
    expect(added).toEqual(['KapChat']);

    const api = await page.evaluate(() => {
      const k = (window as any).KapChat;
      return { keys: Object.keys(k).sort(), frozen: Object.isFrozen(k) };
    });
    expect(api).toEqual({ keys: ['ask', 'close', 'open'], frozen: true });
    // ask() opened the panel; close() closes it without moving the page's focus; open() opens it again.
    expect(await inWidget(page, (root) => (root.querySelector('.kw-panel') as HTMLElement).hidden)).toBe(false);
    await page.focus('#email');
    await page.evaluate(() => (window as any).KapChat.close());
    await waitInWidget(page, (root) => (root.querySelector('.kw-panel') as HTMLElement).hidden);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('email');
    await page.evaluate(() => (window as any).KapChat.open());
    await waitForWidget(page, '.kw-panel', { visible: true });
  });

  it('draws the launcher at once and fetches the rest only on first open', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const { page, log } = await demo({ holdApp: held });
    const { app } = readManifest();
    // The launcher is there and named before the app has arrived; there is no panel yet.
    expect(
      await inWidget(page, (root) => ({
        panel: !!root.querySelector('.kw-panel'),
        name: root.querySelector('.kw-launcher')!.textContent,
      })),
    ).toEqual({
      panel: false,
      name: expect.stringContaining('Questions?'),
    });
    await page.click('kap-chat >>> .kw-launcher');
    expect(await inWidget(page, (root) => root.querySelector('.kw-launcher')!.getAttribute('aria-busy'))).toBe('true');
    release();
    await waitForWidget(page, '.kw-panel', { visible: true });
    expect(await inWidget(page, (root) => root.querySelector('.kw-launcher')!.hasAttribute('aria-busy'))).toBe(false);
    const scripts = log.requests.filter((u) => u.endsWith('.js')).map((u) => new URL(u).pathname);
    expect(scripts).toEqual(['/widget.js', `/widget/${app}`]);
  });

  it('fetches the rest when the page is idle, but connects only when needed', async () => {
    const { page, log } = await demo();
    const { app } = readManifest();
    await page.waitForFunction(`performance.getEntriesByType('resource').some((e) => e.name.endsWith('/widget/${app}'))`, {
      timeout: 10_000,
    });
    await waitForWidget(page, '.kw-panel');
    // Mounted but closed, and not connected: a visitor who never opens it costs no connection.
    expect(
      await inWidget(page, (root) => ({
        hidden: (root.querySelector('.kw-panel') as HTMLElement).hidden,
        state: root.querySelector('.kw-status')!.getAttribute('data-state'),
      })),
    ).toEqual({
      hidden: true,
      state: 'idle',
    });
    expect(log.requests.filter((u) => u.includes('/socket.io'))).toEqual([]);
  });

  it('is not changed by host-page CSS that styles button, div and *', async () => {
    const { page } = await demo();
    await openWidget(page);
    await askWidget(page, 'What is KAP?');
    await waitInWidget(page, (root) => root.getAnimations().length === 0);
    const measure = () =>
      inWidget(page, (root) =>
        [
          '.kw-launcher',
          '.kw-panel',
          '.kw-header',
          '.kw-close',
          '.kw-log',
          '.kw-answer .kw-bubble',
          '.kw-visitor .kw-bubble',
          '.kw-chip',
          'textarea',
          '.kw-send',
        ].map((selector) => {
          const el = root.querySelector(selector) as HTMLElement;
          const r = el.getBoundingClientRect();
          const s = getComputedStyle(el);
          return {
            selector,
            rect: [r.x, r.y, r.width, r.height].map(Math.round),
            style: [
              s.fontFamily,
              s.fontSize,
              s.lineHeight,
              s.color,
              s.backgroundColor,
              s.border,
              s.padding,
              s.margin,
              s.letterSpacing,
              s.textTransform,
              s.boxSizing,
              s.display,
              s.opacity,
            ].join(' | '),
          };
        }),
      );
    const before = await measure();
    await page.evaluate(() => {
      // Adopted by the page (CSSOM is not subject to the page's CSP, so no CSP exception is needed).
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(`
        html { font-size: 10px; }
        * { font-family: "Comic Sans MS", cursive !important; color: magenta !important; letter-spacing: 3px !important;
            line-height: 3 !important; text-transform: uppercase !important; box-sizing: content-box !important; }
        div { margin: 20px !important; padding: 15px !important; border: 5px solid lime !important; background: yellow !important; }
        button { background: red !important; color: white !important; padding: 30px !important; font-size: 30px !important;
                 border-radius: 0 !important; width: 400px !important; }
        kap-chat, kap-chat * { display: none !important; opacity: 0.2 !important; position: absolute !important; }`);
      document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    });
    // The page's own button did change (the sheet applies)...
    expect(await page.$eval('.newsletter button', (b) => getComputedStyle(b).backgroundColor)).toBe('rgb(255, 0, 0)');
    // ...and the widget did not.
    expect(await measure()).toEqual(before);
  });

  it('takes its options from the snippet: title, position, starter questions and accent colour', async () => {
    const { page } = await demo({
      rewrite: withSnippetAttributes({
        'data-title': 'Ask Example Clinic',
        'data-position': 'left',
        'data-starters': 'Is KAP right for me?|How much does KAP cost?',
        'data-accent': '#5b2a86',
      }),
    });
    const launcher = await inWidget(page, (root) => {
      const el = root.querySelector('.kw-launcher')!;
      return { left: el.getBoundingClientRect().left, background: getComputedStyle(el).backgroundColor };
    });
    expect(launcher.left).toBeLessThan(100);
    expect(launcher.background).toBe('rgb(91, 42, 134)');
    await openWidget(page);
    const panel = await inWidget(page, (root) => ({
      title: root.querySelector('#kw-title')!.textContent,
      left: root.querySelector('.kw-panel')!.getBoundingClientRect().left,
      starters: Array.from(root.querySelectorAll('.kw-starters button')).map((b) => b.textContent),
    }));
    expect(panel).toEqual({
      title: 'Ask Example Clinic',
      left: expect.any(Number),
      starters: ['Is KAP right for me?', 'How much does KAP cost?'],
    });
    expect(panel.left).toBeLessThan(100);
    await page.click('kap-chat >>> .kw-starters button');
    await waitForWidget(page, '.kw-bot');
    expect(await inWidget(page, (root) => root.querySelector('.kw-visitor .kw-text')!.textContent)).toBe('Is KAP right for me?');
  });

  it('ignores an accent colour that is not a colour (no CSS injection)', async () => {
    const { page, log } = await demo({ rewrite: withSnippetAttributes({ 'data-accent': 'red}:host{display:none' }) });
    expect(await inWidget(page, (root) => getComputedStyle(root.querySelector('.kw-launcher')!).backgroundColor)).toBe(
      DEFAULT_ACCENT_RGB,
    );
    expect(log.csp).toEqual([]);
  });

  it('chooses Spanish from the browser language when the snippet names no locale', async () => {
    const { page } = await demo({
      rewrite: (html) => html.replace(' data-locale="en"', ''),
      beforeLoad: (p) =>
        p.evaluateOnNewDocument(() => Object.defineProperty(Navigator.prototype, 'languages', { get: () => ['es-MX', 'es'] })),
    });
    expect(
      await inWidget(page, (root) => ({
        lang: root.querySelector('.kw-root')!.getAttribute('lang'),
        label: root.querySelector('.kw-launcher-label')!.textContent,
      })),
    ).toEqual({
      lang: 'es',
      label: '¿Preguntas?',
    });
  });

  it('counts replies that arrive while it is closed on the launcher, and clears the count on open', async () => {
    const { page } = await demo();
    await page.evaluate(() => {
      const k = (window as any).KapChat;
      k.ask('What is KAP?');
      k.close();
    });
    await waitInWidget(page, (root) => !(root.querySelector('.kw-badge') as HTMLElement).hidden);
    const badge = await inWidget(page, (root) => ({
      badge: root.querySelector('.kw-badge')!.textContent,
      name: root.querySelector('.kw-launcher')!.textContent?.replace(/\s+/g, ' '),
      expanded: root.querySelector('.kw-launcher')!.getAttribute('aria-expanded'),
    }));
    expect(badge).toEqual({ badge: '1', name: expect.stringContaining('1 new message'), expanded: 'false' });
    await openWidget(page);
    expect(await inWidget(page, (root) => (root.querySelector('.kw-badge') as HTMLElement).hidden)).toBe(true);
  });

  it('falls back to one <style nonce> when constructable stylesheets are unavailable', async () => {
    const nonce = 'kapTest0123456789';
    const csp = DEMO_CSP.replace("style-src 'self'", `style-src 'self' 'nonce-${nonce}'`);
    const launcherStyle = async (withNonce: boolean) => {
      const { page, log } = await demo({
        rewrite: withNonce ? withSnippetAttributes({ 'data-nonce': nonce }) : (html) => html,
        headers: (headers) => ({ ...headers, 'content-security-policy': csp }),
        beforeLoad: (p) =>
          p.evaluateOnNewDocument(() => {
            delete (Document.prototype as any).adoptedStyleSheets;
            delete (ShadowRoot.prototype as any).adoptedStyleSheets;
          }),
      });
      const style = await inWidget(page, (root) => ({
        position: getComputedStyle(root.querySelector('.kw-launcher')!).position,
        styles: root.querySelectorAll('style').length,
      }));
      return { ...style, violations: log.csp.length };
    };
    expect(await launcherStyle(true)).toEqual({ position: 'fixed', styles: 1, violations: 0 });
    // Without the nonce the page's CSP blocks the stylesheet: that is what the nonce is for.
    expect(await launcherStyle(false)).toEqual({ position: 'static', styles: 1, violations: 1 });
  });

  it('derives the server from its own script URL when embedded on another site', async () => {
    // The clinic's site: another origin (its own little server), embedding the snippet with the bot's full URL.
    const botOrigin = running.url;
    const html = readFileSync(path.join(repoRoot, 'client/demo/index.html'), 'utf8').replace(
      'src="/widget.js"',
      `src="${botOrigin}/widget.js"`,
    );
    const csp = DEMO_CSP.replace("script-src 'self'", `script-src 'self' ${botOrigin}`).replace(
      "connect-src 'self'",
      `connect-src 'self' ${botOrigin}`,
    );
    const site = http.createServer((req, res) => {
      if (req.url !== '/') return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': csp }).end(html);
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    try {
      const siteOrigin = `http://localhost:${(site.address() as AddressInfo).port}`;
      const { page, log } = await demo({ url: `${siteOrigin}/` });
      await openWidget(page);
      await askWidget(page, 'What is KAP?');
      expect(await inWidget(page, (root) => root.querySelectorAll('.kw-answer').length)).toBe(1);
      const scripts = log.requests.filter((u) => u.endsWith('.js')).map((u) => new URL(u).origin);
      expect(new Set(scripts)).toEqual(new Set([botOrigin]));
      expect(log.csp).toEqual([]);
    } finally {
      await new Promise((resolve) => site.close(resolve));
    }
  });
});
