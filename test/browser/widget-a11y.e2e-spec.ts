import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'puppeteer-core';
import { startApp, type RunningApp } from '../support/app.js';
import {
  focusedInWidget,
  inWidget,
  launchBrowser,
  openPage,
  tabTo,
  waitForWidget,
  waitInWidget,
  withSnippetAttributes,
  type PageOptions,
  openWidget,
  askWidget,
} from './support/browser.js';

/**
 * Accessibility of the widget in real Chromium: an axe-core scan in every state (no serious or
 * critical violations, WCAG 2.2 AA rules), keyboard-only use of every control, focus handling,
 * reduced motion, large text and small screens.
 */

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

describe('widget accessibility', () => {
  let running: RunningApp;
  let browser: Browser;
  const pages: Page[] = [];
  /** Moderate and minor findings, for the record (they do not fail the scan). */
  const minor: Array<{ state: string; id: string; impact: string | null }> = [];

  beforeAll(async () => {
    [running, browser] = await Promise.all([
      startApp({
        CLINIC_NAME: 'Example Clinic',
        CLINIC_PHONE: '555-0100',
        CLINIC_HOURS: 'Monday to Friday, 9 to 5',
        RATE_LIMIT_MESSAGES: '500',
      }),
      launchBrowser(),
    ]);
  }, 60_000);
  afterAll(async () => {
    if (minor.length) process.stderr.write(`axe (moderate/minor, not failing): ${JSON.stringify(minor)}\n`);
    await browser?.close();
    await running?.close();
  });
  afterEach(async () => {
    await Promise.all(pages.splice(0).map((p) => p.close().catch(() => undefined)));
  });

  async function demo(path = '/', options: PageOptions = {}): Promise<Page> {
    const { page } = await openPage(browser, options);
    pages.push(page);
    await page.goto(`${running.url}${path}`, { waitUntil: 'load' });
    await waitForWidget(page, '.kw-launcher', { visible: true });
    return page;
  }

  /** axe-core over the widget (shadow root included); fails on serious or critical violations. */
  async function scan(page: Page, state: string, wholePage = false): Promise<void> {
    // Colours are only final once the opening animation has finished.
    await waitInWidget(page, (root) => root.getAnimations().every((a) => a.effect?.getComputedTiming().iterations === Infinity));
    await page.evaluate(axeSource);
    const violations: Violation[] = await page.evaluate(
      async (tags, whole) => {
        const axe = (window as unknown as { axe: any }).axe;
        const context = whole ? document : document.querySelector('kap-chat');
        const result = await axe.run(context, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
        return result.violations.map((v: any) => ({
          id: v.id,
          impact: v.impact,
          help: v.help,
          nodes: v.nodes.slice(0, 3).map((n: any) => `${JSON.stringify(n.target)} ${n.failureSummary}`),
        }));
      },
      AXE_TAGS,
      wholePage,
    );
    const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    for (const v of violations) if (!serious.includes(v)) minor.push({ state, id: v.id, impact: v.impact });
    expect({ state, serious }).toEqual({ state, serious: [] });
  }

  it('has no serious or critical axe violations in any state', async () => {
    const page = await demo();
    await scan(page, 'closed');
    await scan(page, 'the whole demo page, closed', true);
    await openWidget(page);
    await waitInWidget(page, (root) => root.querySelector('.kw-status')?.getAttribute('data-state') === 'online');
    await scan(page, 'open, empty');
    await scan(page, 'the whole demo page, open', true);
    await askWidget(page, 'What are the side effects of ketamine?');
    await page.click('kap-chat >>> .kw-fb[data-helpful="false"]');
    await waitInWidget(
      page,
      (root) => root.querySelector('.kw-fb[data-helpful="false"]')?.getAttribute('aria-pressed') === 'true',
    );
    await askWidget(page, 'How do I bake sourdough bread?');
    await scan(page, 'answer, feedback, fallback');
    await page.click('kap-chat >>> .kw-contact-btn');
    await waitForWidget(page, '.kw-contact');
    await page.click('kap-chat >>> .kw-clear-btn');
    await scan(page, 'contact card, clear confirmation');

    // Offline (the browser loses the network) and back.
    await page.setOfflineMode(true);
    await page.evaluate(() => window.dispatchEvent(new Event('offline')));
    await waitInWidget(page, (root) => root.querySelector('.kw-status')?.getAttribute('data-state') === 'offline');
    await scan(page, 'offline');
    await page.setOfflineMode(false);
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await waitInWidget(page, (root) => root.querySelector('.kw-status')?.getAttribute('data-state') === 'reconnected', 15_000);
    await scan(page, 'reconnected');

    const crisis = await demo();
    await openWidget(crisis);
    await askWidget(crisis, "I'm going to overdose tonight");
    await waitForWidget(crisis, '.kw-banner', { visible: true });
    await askWidget(crisis, 'What is KAP?');
    await scan(crisis, 'crisis panel and banner');

    const spanish = await demo('/es.html');
    await openWidget(spanish);
    await askWidget(spanish, '¿Cuáles son los efectos secundarios?');
    await scan(spanish, 'Spanish');
  }, 60_000);

  it.each(['#ffd400', '#e8f4ff', '#000000', '#808080', '#ff3366', '#0b3d2e'])(
    'keeps AA contrast with the accent colour %s',
    async (accent) => {
      const page = await demo('/', { rewrite: withSnippetAttributes({ 'data-accent': accent }) });
      const background = await inWidget(page, (root) => getComputedStyle(root.querySelector('.kw-launcher')!).backgroundColor);
      const [r, g, b] = background.match(/\d+/g)!.map(Number);
      expect('#' + [r, g, b].map((c) => c.toString(16).padStart(2, '0')).join('')).toBe(accent);
      await openWidget(page);
      await askWidget(page, 'What is KAP?');
      await scan(page, `accent ${accent}`);
    },
    30_000,
  );

  it('can be used with the keyboard alone, with visible focus, and every control reachable', async () => {
    const page = await demo();
    await tabTo(page, '.kw-launcher');
    await page.keyboard.press('Enter');
    await waitForWidget(page, '.kw-panel', { visible: true });
    expect(await focusedInWidget(page)).toMatch(/^textarea/);
    await page.keyboard.type('What are the side effects of ketamine?');
    await page.keyboard.press('Enter');
    await waitForWidget(page, '.kw-answer');

    // Every visible control in the panel is reached by Tab, and shows where focus is.
    await inWidget(page, (root) => (root.querySelector('.kw-launcher') as HTMLElement).focus());
    const reached = new Set<number>();
    for (let i = 0; i < 80; i++) {
      await page.keyboard.press('Tab');
      const step = await page.evaluate(() => {
        const host = document.querySelector('kap-chat')!;
        const root = host.shadowRoot!;
        const active = root.activeElement as HTMLElement | null;
        if (document.activeElement !== host || !active) return null;
        const style = getComputedStyle(active);
        return {
          index: Array.from(root.querySelectorAll('*')).indexOf(active),
          outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
          what: active.outerHTML.slice(0, 80),
        };
      });
      if (!step) break; // focus left the widget
      expect({ what: step.what, visibleFocus: step.outline }).toEqual({ what: step.what, visibleFocus: true });
      reached.add(step.index);
    }
    const controls = await inWidget(page, (root) => {
      const all = Array.from(root.querySelectorAll('*'));
      return Array.from(
        root.querySelectorAll('.kw-panel button, .kw-panel a[href], .kw-panel textarea, .kw-panel [tabindex="0"]'),
      )
        .filter((el) => el.getClientRects().length > 0)
        .map((el) => ({ index: all.indexOf(el), what: el.outerHTML.slice(0, 80) }));
    });
    expect(controls.length).toBeGreaterThan(8);
    expect(controls.filter((c) => !reached.has(c.index))).toEqual([]);

    // A related topic, by keyboard.
    await tabTo(page, '.kw-answer .kw-related button', 80, true);
    await page.keyboard.press('Enter');
    await waitInWidget(page, (root) => root.querySelectorAll('.kw-answer').length === 2);
    // "Was this helpful?", by keyboard.
    // Backwards from the input, the newest answer's button comes first.
    await tabTo(page, '.kw-answer .kw-fb[data-helpful="true"]', 80, true);
    await page.keyboard.press('Space');
    await waitInWidget(
      page,
      (root) => Array.from(root.querySelectorAll('.kw-fb[data-helpful="true"]')).pop()?.getAttribute('aria-pressed') === 'true',
    );
    // "Talk to a person", by keyboard.
    await tabTo(page, '.kw-contact-btn', 80, true);
    await page.keyboard.press('Enter');
    await waitForWidget(page, '.kw-contact');
    // "Clear this conversation": Enter asks first, Escape cancels, Enter twice clears.
    await tabTo(page, '.kw-clear-btn');
    await page.keyboard.press('Enter');
    expect(await focusedInWidget(page)).toMatch(/kw-confirm-yes/);
    await page.keyboard.press('Escape');
    expect(await focusedInWidget(page)).toMatch(/kw-clear-btn/);
    expect(await inWidget(page, (root) => !(root.querySelector('.kw-panel') as HTMLElement).hidden)).toBe(true);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await waitInWidget(page, (root) => root.querySelectorAll('.kw-msg').length === 0);
    expect(await focusedInWidget(page)).toMatch(/^textarea/);
    // A starter question, by keyboard.
    await tabTo(page, '.kw-starters button', 20, true);
    await page.keyboard.press('Enter');
    await waitForWidget(page, '.kw-bot');
    // Escape closes and gives focus back to the launcher; Enter opens again; the close button closes.
    await page.keyboard.press('Escape');
    expect(await inWidget(page, (root) => (root.querySelector('.kw-panel') as HTMLElement).hidden)).toBe(true);
    expect(await focusedInWidget(page)).toMatch(/kw-launcher/);
    expect(await inWidget(page, (root) => root.querySelector('.kw-launcher')!.getAttribute('aria-expanded'))).toBe('false');
    await page.keyboard.press('Enter');
    await waitForWidget(page, '.kw-panel', { visible: true });
    expect(await focusedInWidget(page)).toMatch(/^textarea/);
    await tabTo(page, '.kw-close', 80, true);
    await page.keyboard.press('Enter');
    expect(await inWidget(page, (root) => (root.querySelector('.kw-panel') as HTMLElement).hidden)).toBe(true);
    expect(await focusedInWidget(page)).toMatch(/kw-launcher/);
  }, 60_000);

  it.each([
    ['a phone', 375, 667],
    ['a phone held sideways', 667, 375],
  ])('keeps focus inside the full-screen panel on %s: Tab and Shift+Tab wrap (WCAG 2.4.11)', async (_name, width, height) => {
    const page = await demo('/', { viewport: { width, height } });
    await openWidget(page);
    await askWidget(page, 'What are the side effects of ketamine?');
    // Full screen, the panel is modal: the page's links are behind it, where focus must not go.
    expect(await inWidget(page, (root) => root.querySelector('.kw-panel')!.getAttribute('aria-modal'))).toBe('true');
    await tabTo(page, '.kw-send');
    await page.keyboard.press('Tab');
    expect(await focusedInWidget(page)).toMatch(/^button\.kw-close/);
    await page.keyboard.down('Shift');
    await page.keyboard.press('Tab');
    await page.keyboard.up('Shift');
    expect(await focusedInWidget(page)).toMatch(/^button\.kw-send/);
    // However far the visitor tabs, in either direction, focus stays in the panel.
    const controls = await inWidget(
      page,
      (root) =>
        Array.from(
          root.querySelectorAll<HTMLElement>('.kw-panel a[href], .kw-panel button, .kw-panel textarea, .kw-panel [tabindex]'),
        ).filter((el) => el.tabIndex >= 0 && el.getClientRects().length > 0).length,
    );
    for (const shift of [false, true]) {
      if (shift) await page.keyboard.down('Shift');
      for (let i = 0; i < controls + 3; i++) {
        await page.keyboard.press('Tab');
        expect({ i, shift, focus: await focusedInWidget(page) }).toEqual({ i, shift, focus: expect.stringMatching(/./) });
      }
      if (shift) await page.keyboard.up('Shift');
    }
    // Escape still closes it, and focus goes back to the launcher.
    await page.keyboard.press('Escape');
    expect(await focusedInWidget(page)).toMatch(/kw-launcher/);
  });

  it('lets focus move on to the page from the last control on a desktop, where the panel covers only a corner', async () => {
    const page = await demo();
    await openWidget(page);
    expect(await inWidget(page, (root) => root.querySelector('.kw-panel')!.hasAttribute('aria-modal'))).toBe(false);
    await tabTo(page, '.kw-send');
    await page.keyboard.press('Tab');
    expect(await focusedInWidget(page)).toBeNull();
  });

  it('is a labelled dialog controlled by a named launcher button, with a labelled textarea', async () => {
    const page = await demo();
    await openWidget(page);
    const semantics = await inWidget(page, (root) => {
      const launcher = root.querySelector('.kw-launcher') as HTMLButtonElement;
      const panel = root.querySelector('[role="dialog"]') as HTMLElement;
      const input = root.querySelector('textarea') as HTMLTextAreaElement;
      return {
        launcherTag: launcher.tagName,
        launcherName: launcher.textContent?.replace(/\s+/g, ' ').trim(),
        controls: launcher.getAttribute('aria-controls') === panel.id,
        dialogName: root.getElementById(panel.getAttribute('aria-labelledby')!)?.textContent,
        inputLabel: input.labels?.[0]?.textContent,
        logRole: root.querySelector('.kw-log')?.getAttribute('role'),
      };
    });
    expect(semantics).toEqual({
      launcherTag: 'BUTTON',
      launcherName: 'Questions? Chat with our assistant',
      controls: true,
      dialogName: 'Questions about ketamine therapy',
      inputLabel: 'Your question',
      logRole: 'log',
    });
  });

  it('respects prefers-reduced-motion', async () => {
    const motion = async (reduce: boolean) => {
      const { page } = await openPage(browser);
      pages.push(page);
      await page.emulateMediaFeatures([{ name: 'prefers-reduced-motion', value: reduce ? 'reduce' : 'no-preference' }]);
      await page.goto(`${running.url}/`, { waitUntil: 'load' });
      await openWidget(page);
      return inWidget(page, (root) => ({
        panel: getComputedStyle(root.querySelector('.kw-panel')!).animationName,
        typing: getComputedStyle(root.querySelector('.kw-typing span')!).animationName,
      }));
    };
    expect(await motion(false)).toEqual({ panel: 'kw-in', typing: 'kw-dot' });
    expect(await motion(true)).toEqual({ panel: 'none', typing: 'none' });
  });

  it.each([
    ['a desktop window with text at 200%', 1280, 800, '200%'],
    ['a phone', 375, 667, '100%'],
    ['a small phone with text at 200%', 320, 568, '200%'],
  ])('keeps its layout on %s', async (_name, width, height, fontSize) => {
    const page = await demo('/', { viewport: { width, height } });
    await page.evaluate((size) => (document.documentElement.style.fontSize = size), fontSize);
    await openWidget(page);
    await askWidget(page, 'What are the side effects of ketamine?');
    await waitInWidget(page, (root) => root.querySelector('.kw-panel')!.getAnimations().length === 0);
    const layout = await inWidget(page, (root) => {
      const rect = (sel: string) => {
        const r = root.querySelector(sel)!.getBoundingClientRect();
        return { left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height };
      };
      const log = root.querySelector('.kw-log') as HTMLElement;
      return {
        viewport: { width: innerWidth, height: innerHeight },
        panel: rect('.kw-panel'),
        input: rect('textarea'),
        send: rect('.kw-send'),
        close: rect('.kw-close'),
        logOverflowX: log.scrollWidth - log.clientWidth,
        fontSize: parseFloat(getComputedStyle(root.querySelector('.kw-root')!).fontSize),
      };
    });
    const inside = (
      r: { left: number; top: number; right: number; bottom: number },
      box: { left: number; top: number; right: number; bottom: number },
    ) => r.left >= box.left - 0.5 && r.top >= box.top - 0.5 && r.right <= box.right + 0.5 && r.bottom <= box.bottom + 0.5;
    const screen = { left: 0, top: 0, right: layout.viewport.width, bottom: layout.viewport.height };
    expect(layout.fontSize).toBe(fontSize === '200%' ? 32 : 16);
    // The newest answer can be brought into view without the header or the composer covering it.
    const answerVisible = await inWidget(page, (root) => {
      const answers = root.querySelectorAll('.kw-log .kw-bot');
      const last = answers[answers.length - 1] as HTMLElement;
      last.scrollIntoView({ block: 'start' });
      const r = last.getBoundingClientRect();
      const x = r.left + Math.min(20, r.width / 2);
      // Some of its first lines must be uncovered (not under a sticky header or composer).
      for (let y = Math.max(r.top, 0) + 2; y < Math.min(r.bottom, innerHeight, r.top + 400); y += 8) {
        const hit = root.elementFromPoint(x, y);
        if (hit && last.contains(hit)) return true;
      }
      return false;
    });
    expect(answerVisible).toBe(true);
    expect(inside(layout.panel, screen)).toBe(true);
    if (width <= 480) expect(layout.panel).toMatchObject({ left: 0, top: 0, width, height }); // full screen
    // The input, the send button and the close button are usable and reachable: all in view at once,
    // except where large text leaves so little height that header and composer scroll with the
    // conversation (kw-tight); then each comes into view when scrolled to.
    const tight = await inWidget(page, (root) => root.querySelector('.kw-panel')!.classList.contains('kw-tight'));
    expect(tight).toBe(width <= 480 && fontSize === '200%');
    const seen = async (sel: string) =>
      inWidget(
        page,
        (root, s) => {
          root.querySelector(s)!.scrollIntoView({ block: 'nearest' });
          const r = (q: string) => root.querySelector(q)!.getBoundingClientRect().toJSON();
          return { part: r(s), input: r('textarea'), send: r('.kw-send'), close: r('.kw-close'), panel: r('.kw-panel') };
        },
        sel,
      );
    const after = await seen('textarea');
    const parts = tight
      ? [after.part, (await seen('.kw-send')).part, (await seen('.kw-close')).part]
      : [after.input, after.send, after.close];
    for (const part of parts) {
      expect(part.width).toBeGreaterThanOrEqual(24);
      expect(part.height).toBeGreaterThanOrEqual(24);
      expect(inside(part, after.panel)).toBe(true);
    }
    expect(after.send.left).toBeGreaterThanOrEqual(after.input.right - 0.5);
    expect(layout.logOverflowX).toBeLessThanOrEqual(0);
  });
});
