import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import chromium from '@sparticuz/chromium';
import puppeteer, { type Browser, type BrowserContext, type HTTPRequest, type Page } from 'puppeteer-core';

/**
 * Real headless Chromium for the widget's browser tests (one browser per test file), and helpers to
 * look inside the widget's shadow root.
 */

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const distDir = path.join(repoRoot, 'client/widget/dist');

/** The page's Content-Security-Policy (notes/widget-brief.md): the widget must work under it. */
export const DEMO_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; frame-ancestors 'none'";

// @sparticuz/chromium targets AWS Lambda; these of its flags would weaken what the tests check (same-origin
// policy, mixed content) or make several pages share one process.
const DROPPED_FLAGS = new Set(['--single-process', '--disable-web-security', '--allow-running-insecure-content', '--no-zygote']);

export async function launchBrowser(): Promise<Browser> {
  return puppeteer.launch({
    executablePath: await chromium.executablePath(),
    args: [...chromium.args.filter((flag) => !DROPPED_FLAGS.has(flag)), '--no-sandbox'],
    headless: true,
    defaultViewport: { width: 1280, height: 800 },
  });
}

/** What a page did that a test may want to rule out. */
export interface PageLog {
  /** Content-Security-Policy violations reported by the page. */
  csp: string[];
  /** Uncaught exceptions in the page. */
  errors: string[];
  /** alert/confirm/prompt/print calls: anything an XSS payload would do. */
  executed: string[];
  /** Every URL the page requested. */
  requests: string[];
  /** Every console message. */
  console: string[];
}

export interface PageOptions {
  /** Rewrites the HTML of a document the server sends (a different snippet, another CSP...). */
  rewrite?: (html: string, url: URL) => string;
  /** Rewrites the response headers of a document the server sends. */
  headers?: (headers: Record<string, string>, url: URL) => Record<string, string>;
  /** Holds back the app bundle (app.<hash>.js) until this promise settles. */
  holdApp?: Promise<unknown>;
  /** The app bundle never arrives (its request fails, as when the bot's server is down). */
  failApp?: boolean;
  viewport?: { width: number; height: number };
}

/**
 * A new page that records CSP violations, errors, dialogs and requests. Test hooks are added with
 * evaluateOnNewDocument and report through the console only: they add no globals to the page.
 */
export async function openPage(
  browser: Browser | BrowserContext,
  options: PageOptions = {},
): Promise<{ page: Page; log: PageLog }> {
  const page = await browser.newPage();
  // Waits are on events; the limit only decides how long a loaded CI machine may take before a failure.
  page.setDefaultTimeout(45_000);
  if (options.viewport) await page.setViewport(options.viewport);
  const log: PageLog = { csp: [], errors: [], executed: [], requests: [], console: [] };
  page.on('pageerror', (err) => log.errors.push(String((err as Error)?.message ?? err)));
  page.on('dialog', (dialog) => {
    log.executed.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on('console', (message) => {
    const text = message.text();
    log.console.push(text);
    if (text.startsWith('[csp] ')) log.csp.push(text.slice(6));
    if (text.startsWith('[executed] ')) log.executed.push(text.slice(11));
  });
  page.on('request', (request) => log.requests.push(request.url()));
  await page.evaluateOnNewDocument(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      console.log(`[csp] ${e.violatedDirective} ${e.blockedURI || '(inline)'} ${e.sourceFile}:${e.lineNumber}`),
    );
    for (const name of ['alert', 'confirm', 'prompt', 'print'] as const) {
      const original = window[name];
      Object.defineProperty(window, name, {
        configurable: true,
        writable: true,
        value: (...args: unknown[]) => {
          console.log(`[executed] ${name}(${args.map(String).join(', ')})`);
          return name === 'confirm' ? false : name === 'prompt' ? null : undefined;
        },
      });
      void original;
    }
  });
  if (options.rewrite || options.headers || options.holdApp || options.failApp) {
    await page.setRequestInterception(true);
    page.on('request', (request) => void intercept(request, options, log));
  }
  return { page, log };
}

async function intercept(request: HTTPRequest, options: PageOptions, log: PageLog): Promise<void> {
  if (request.isInterceptResolutionHandled()) return;
  const url = new URL(request.url());
  try {
    const isApp = /\/widget\/app\.[0-9a-f]+\.js$/.test(url.pathname);
    if (options.failApp && isApp) return void (await request.abort('connectionrefused'));
    if (options.holdApp && isApp) await options.holdApp.catch(() => undefined);
    if (request.resourceType() === 'document' && (options.rewrite || options.headers)) {
      const response = await fetch(url, { headers: { accept: 'text/html' } });
      let headers: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        if (!['content-length', 'content-encoding', 'transfer-encoding', 'connection', 'keep-alive'].includes(name))
          headers[name] = value;
      });
      if (options.headers) headers = options.headers(headers, url);
      const body = await response.text();
      return void (await request.respond({
        status: response.status,
        headers,
        body: options.rewrite ? options.rewrite(body, url) : body,
      }));
    }
    await request.continue();
  } catch (err) {
    log.errors.push(`test interception of ${url.href} failed: ${(err as Error).message}`);
    if (!request.isInterceptResolutionHandled()) await request.abort().catch(() => undefined);
  }
}

/** Changes the embed snippet's attributes in the demo page's HTML. */
export function withSnippetAttributes(attributes: Record<string, string>): (html: string) => string {
  return (html) => {
    const extra = Object.entries(attributes)
      .map(([name, value]) => ` ${name}="${value.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}"`)
      .join('');
    const out = html.replace(/<script src="\/widget\.js"([^>]*)><\/script>/, (_m, rest: string) => {
      let attrs = rest;
      for (const name of Object.keys(attributes)) attrs = attrs.replace(new RegExp(`\\s${name}="[^"]*"`), '');
      return `<script src="/widget.js"${attrs}${extra}></script>`;
    });
    if (out === html) throw new Error('the demo page has no widget snippet to change');
    return out;
  };
}

/** Runs `fn` in the page with the widget's shadow root as its first argument. */
export async function inWidget<R, A extends unknown[]>(
  page: Page,
  fn: (root: ShadowRoot, ...args: A) => R,
  ...args: A
): Promise<Awaited<R>> {
  const host = await page.waitForSelector('kap-chat', { timeout: 10_000 });
  const root = await host!.evaluateHandle((h) => h.shadowRoot as ShadowRoot);
  try {
    return (await root.evaluate(fn as never, ...(args as unknown as never[]))) as Awaited<R>;
  } finally {
    await root.dispose();
    await host!.dispose();
  }
}

/**
 * Waits until `fn(shadowRoot, ...args)` is truthy in the page. The predicate is sent as an expression
 * that DevTools compiles, never through eval in the page (the page's CSP forbids eval and would report it).
 */
export async function waitInWidget<A extends unknown[]>(
  page: Page,
  fn: (root: ShadowRoot, ...args: A) => unknown,
  timeout = 10_000,
  ...args: A
): Promise<void> {
  const expression = `(() => { const root = document.querySelector('kap-chat')?.shadowRoot; return !!root && !!(${fn.toString()})(root, ...${JSON.stringify(args)}); })()`;
  await page.waitForFunction(expression, { timeout, polling: 50 });
}

/** Waits for an element in the widget (visible: rendered with a size, not hidden). */
export async function waitForWidget(
  page: Page,
  selector: string,
  options: { visible?: boolean; timeout?: number } = {},
): Promise<void> {
  await waitInWidget(
    page,
    (root, sel, visible) => {
      const el = root.querySelector(sel) as HTMLElement | null;
      return !!el && (!visible || el.getClientRects().length > 0);
    },
    options.timeout ?? 10_000,
    selector,
    options.visible ?? false,
  );
}

/** The element focused inside the widget (a selector-like description), or null when focus is elsewhere. */
export function focusedInWidget(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const host = document.querySelector('kap-chat');
    const active = host?.shadowRoot?.activeElement as HTMLElement | null | undefined;
    if (!active || document.activeElement !== host) return null;
    const name = active.getAttribute('aria-label') ?? active.textContent?.trim().slice(0, 60) ?? '';
    return `${active.tagName.toLowerCase()}${active.className ? '.' + String(active.className).split(' ').join('.') : ''}|${name}`;
  });
}

/** Presses Tab until the widget's element matching `selector` has focus (at most `max` times). */
export async function tabTo(page: Page, selector: string, max = 60, shift = false): Promise<number> {
  for (let presses = 1; presses <= max; presses++) {
    if (shift) await page.keyboard.down('Shift');
    await page.keyboard.press('Tab');
    if (shift) await page.keyboard.up('Shift');
    const hit = await page.evaluate((sel) => {
      const host = document.querySelector('kap-chat');
      const active = host?.shadowRoot?.activeElement;
      return document.activeElement === host && !!active && active.matches(sel);
    }, selector);
    if (hit) return presses;
  }
  throw new Error(`Tab never reached ${selector} in ${max} presses`);
}

/** The bundle files as built (client/build.mjs must have run: `npm test` runs it first). */
export function readManifest(dir = distDir): { loader: string; app: string } {
  return JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
}

/** Opens the widget by clicking its launcher and waits for the panel. */
export async function openWidget(page: Page): Promise<void> {
  await page.click('kap-chat >>> .kw-launcher');
  await waitForWidget(page, '.kw-panel', { visible: true });
}

/** Types a question into the widget, sends it with Enter, and waits for the next bot or crisis reply. */
export async function askWidget(page: Page, text: string): Promise<void> {
  const before = await inWidget(page, (root) => root.querySelectorAll('.kw-bot, .kw-crisis').length);
  await page.click('kap-chat >>> #kw-input');
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
  await waitInWidget(page, (root, n) => root.querySelectorAll('.kw-bot, .kw-crisis').length > n, 10_000, before);
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core (WCAG 2.2 AA rules and best practices) over the widget, shadow root included, once its
 * opening animation has finished: the serious and critical violations, as `{ id, nodes }`.
 */
export async function seriousAxeViolations(page: Page): Promise<Array<{ id: string; nodes: string[] }>> {
  await waitInWidget(page, (root) => root.getAnimations().every((a) => a.effect?.getComputedTiming().iterations === Infinity));
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: any }).axe;
    const result = await axe.run(document.querySelector('kap-chat'), {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
      resultTypes: ['violations'],
    });
    return result.violations
      .filter((v: any) => v.impact === 'serious' || v.impact === 'critical')
      .map((v: any) => ({
        id: v.id,
        nodes: v.nodes.slice(0, 3).map((n: any) => `${JSON.stringify(n.target)} ${n.failureSummary}`),
      }));
  });
}

/** axe-core over a whole document (the staff console): the serious and critical violations, as `{ id, nodes }`. */
export async function seriousAxeViolationsInPage(page: Page): Promise<Array<{ id: string; nodes: string[] }>> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: any }).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
      resultTypes: ['violations'],
    });
    return result.violations
      .filter((v: any) => v.impact === 'serious' || v.impact === 'critical')
      .map((v: any) => ({
        id: v.id,
        nodes: v.nodes.slice(0, 3).map((n: any) => `${JSON.stringify(n.target)} ${n.failureSummary}`),
      }));
  });
}
