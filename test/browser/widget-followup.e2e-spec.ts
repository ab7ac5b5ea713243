import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'puppeteer-core';
import { UI_STRINGS } from '../../client/widget/src/shared/strings.js';
import { EscalationService } from '../../src/escalation/escalation.service.js';
import { startApp, type RunningApp } from '../support/app.js';
import { freePort, WebhookReceiver } from '../support/webhook.js';
import {
  focusedInWidget,
  inWidget,
  launchBrowser,
  openPage,
  tabTo,
  waitForWidget,
  waitInWidget,
  type PageLog,
  openWidget,
} from './support/browser.js';

/**
 * After a crisis reply that tells the visitor the care team was alerted, the widget offers a form to
 * leave a phone number or email (socket event `contact`). Paging is configured here, to a receiver that
 * answers, so staff count as alerted.
 */

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
const en = UI_STRINGS.en;
const es = UI_STRINGS.es;

describe("the crisis panel's follow-up form", () => {
  let running: RunningApp;
  let browser: Browser;
  const pages: Page[] = [];

  let pager: WebhookReceiver;

  beforeAll(async () => {
    pager = new WebhookReceiver(await freePort());
    await pager.start();
    [running, browser] = await Promise.all([
      startApp({
        CLINIC_NAME: 'Example Clinic',
        CLINIC_PHONE: '555-0100',
        PAGING_WEBHOOK_URL: pager.url,
        PAGING_WEBHOOK_SECRET: 'a-test-secret-of-16+chars',
      }),
      launchBrowser(),
    ]);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await running?.close();
    await pager?.stop();
  });
  afterEach(async () => {
    await Promise.all(pages.splice(0).map((p) => p.close().catch(() => undefined)));
  });

  async function demo(pathname = '/'): Promise<{ page: Page; log: PageLog }> {
    const opened = await openPage(browser);
    pages.push(opened.page);
    await opened.page.goto(`${running.url}${pathname}`, { waitUntil: 'load' });
    await waitForWidget(opened.page, '.kw-launcher', { visible: true });
    return opened;
  }

  /** Sends a crisis message from the composer and waits for the crisis panel with its form. */
  async function crisis(page: Page, text: string): Promise<string> {
    await page.click('kap-chat >>> #kw-input');
    await page.keyboard.type(text);
    await page.keyboard.press('Enter');
    await waitForWidget(page, '.kw-crisis .kw-followup #kw-followup-input', { visible: true });
    return (JSON.parse((await page.evaluate(() => sessionStorage.getItem('kapchat.conversation')))!) as { id: string }).id;
  }

  async function flagOf(conversationId: string) {
    const flags = await running.app.get(EscalationService).unresolved();
    return flags.find((f) => f.conversationId === conversationId);
  }

  function state(page: Page) {
    return inWidget(page, (root) => {
      const box = root.querySelector('.kw-followup') as HTMLElement;
      const input = box.querySelector('input') as HTMLInputElement;
      const error = box.querySelector('.kw-followup-error') as HTMLElement;
      const describedBy = input.getAttribute('aria-describedby');
      return {
        inCrisisPanel: box.parentElement?.classList.contains('kw-crisis') ?? false,
        forms: root.querySelectorAll('.kw-followup').length,
        label: input.labels?.[0]?.textContent ?? null,
        value: input.value,
        invalid: input.getAttribute('aria-invalid'),
        description: describedBy ? (root.getElementById(describedBy)?.textContent ?? null) : null,
        error: error.hidden ? null : error.textContent,
        formShown: !(box.querySelector('form') as HTMLElement).hidden,
        done: (box.querySelector('.kw-followup-done') as HTMLElement).hidden
          ? null
          : box.querySelector('.kw-followup-done')!.textContent,
      };
    });
  }

  /** axe-core over the widget (shadow root included); fails on serious or critical violations. */
  async function scan(page: Page, what: string): Promise<void> {
    await waitInWidget(page, (root) => root.getAnimations().every((a) => a.effect?.getComputedTiming().iterations === Infinity));
    await page.evaluate(axeSource);
    const violations: Array<{ id: string; impact: string | null; nodes: string[] }> = await page.evaluate(async (tags) => {
      const axe = (window as unknown as { axe: any }).axe;
      const result = await axe.run(document.querySelector('kap-chat'), {
        runOnly: { type: 'tag', values: tags },
        resultTypes: ['violations'],
      });
      return result.violations.map((v: any) => ({
        id: v.id,
        impact: v.impact,
        nodes: v.nodes.slice(0, 3).map((n: any) => `${JSON.stringify(n.target)} ${n.failureSummary}`),
      }));
    }, AXE_TAGS);
    const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect({ what, serious }).toEqual({ what, serious: [] });
  }

  /** The focused element shows where focus is (a solid outline of at least 2px). */
  function visibleFocus(page: Page): Promise<boolean> {
    return inWidget(page, (root) => {
      const style = getComputedStyle(root.activeElement as HTMLElement);
      return style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
    });
  }

  function noProblems(log: PageLog): void {
    expect(log.errors).toEqual([]);
    expect(log.csp).toEqual([]);
    expect(log.executed).toEqual([]);
  }

  it('takes a phone number by keyboard: the server refuses an invalid one (text kept), then stores a valid one', async () => {
    const { page, log } = await demo();
    await openWidget(page);
    const conversationId = await crisis(page, "I've been thinking about ending my life");
    expect(await state(page)).toEqual({
      inCrisisPanel: true,
      forms: 1,
      label: en.followUpLabel,
      value: '',
      invalid: null,
      description: null,
      error: null,
      formShown: true,
      done: null,
    });
    // The crisis notice is announced without the form's words.
    await waitInWidget(page, (root) => (root.querySelector('[role="alert"]')?.textContent ?? '').includes('988'));
    expect(await inWidget(page, (root) => root.querySelector('[role="alert"]')!.textContent)).not.toContain(en.followUpLabel);
    expect(await flagOf(conversationId)).toMatchObject({ visitorContact: null });
    await scan(page, 'crisis panel with the follow-up form');

    // Backwards from the composer, the form is the first thing reached; focus is visible on it.
    await tabTo(page, '#kw-followup-input', 10, true);
    expect(await visibleFocus(page)).toBe(true);
    const invalid = 'call me <img src=x onerror=alert(1)>';
    await page.keyboard.type(invalid);
    await page.keyboard.press('Enter');
    await waitInWidget(page, (root) => !(root.querySelector('.kw-followup-error') as HTMLElement).hidden);
    expect(await state(page)).toMatchObject({
      value: invalid,
      invalid: 'true',
      description: en.followUpInvalid,
      error: en.followUpInvalid,
      formShown: true,
      done: null,
    });
    expect(await focusedInWidget(page)).toMatch(/^input/);
    // Said once by the polite announcer, too.
    await waitInWidget(page, (root, text) => root.querySelector('.kw-announcer')?.textContent === text, 5000, en.followUpInvalid);
    expect(await flagOf(conversationId)).toMatchObject({ visitorContact: null });
    await scan(page, 'follow-up form with an error');

    // Corrected, and sent with the button.
    await inWidget(page, (root) => (root.querySelector('#kw-followup-input') as HTMLInputElement).select());
    const phone = '+1 (555) 010-0123';
    await page.keyboard.type(phone);
    await page.keyboard.press('Tab');
    expect(await focusedInWidget(page)).toMatch(/^button\.kw-followup-send/);
    expect(await visibleFocus(page)).toBe(true);
    await page.keyboard.press('Enter');
    await waitInWidget(page, (root) => !(root.querySelector('.kw-followup-done') as HTMLElement).hidden);
    expect(await state(page)).toMatchObject({ formShown: false, done: en.followUpDone });
    // Focus did not vanish with the form: it is on the confirmation.
    expect(await focusedInWidget(page)).toMatch(/^p\.kw-followup-done/);
    expect(await flagOf(conversationId)).toMatchObject({ visitorContact: phone });
    await scan(page, 'follow-up confirmation');

    // Later crisis messages do not bring the form back; the confirmation moves to the newest invitation.
    await page.click('kap-chat >>> #kw-input');
    await page.keyboard.type('I want to die');
    await page.keyboard.press('Enter');
    await waitInWidget(page, (root) => root.querySelectorAll('.kw-crisis').length === 2);
    const after = await inWidget(page, (root) => ({
      forms: root.querySelectorAll('.kw-followup').length,
      inNewest: Array.from(root.querySelectorAll('.kw-crisis')).pop()!.querySelector('.kw-followup') !== null,
      formShown: !(root.querySelector('.kw-followup form') as HTMLElement).hidden,
    }));
    expect(after).toEqual({ forms: 1, inNewest: true, formShown: false });
    noProblems(log);
  }, 60_000);

  it('speaks Spanish, is offered again in a resumed conversation, and takes an email', async () => {
    const { page, log } = await demo('/es.html');
    await openWidget(page);
    const conversationId = await crisis(page, 'estoy pensando en matarme');
    expect(await state(page)).toMatchObject({ label: es.followUpLabel, inCrisisPanel: true });
    expect(await inWidget(page, (root) => root.querySelector('.kw-followup-send')!.textContent)).toBe(es.followUpSend);

    // After a reload, the resumed crisis reply has the form again.
    await page.reload({ waitUntil: 'load' });
    await openWidget(page);
    await waitForWidget(page, '.kw-crisis .kw-followup #kw-followup-input', { visible: true });
    await page.click('kap-chat >>> #kw-followup-input');
    await page.keyboard.type('abc');
    await page.keyboard.press('Enter');
    await waitInWidget(page, (root) => !(root.querySelector('.kw-followup-error') as HTMLElement).hidden);
    expect(await state(page)).toMatchObject({ value: 'abc', error: es.followUpInvalid, description: es.followUpInvalid });
    await inWidget(page, (root) => (root.querySelector('#kw-followup-input') as HTMLInputElement).select());
    await page.keyboard.type('nombre@example.org');
    await page.keyboard.press('Enter');
    await waitInWidget(page, (root) => !(root.querySelector('.kw-followup-done') as HTMLElement).hidden);
    expect(await state(page)).toMatchObject({ formShown: false, done: es.followUpDone });
    expect(await flagOf(conversationId)).toMatchObject({ visitorContact: 'nombre@example.org' });
    await scan(page, 'Spanish follow-up confirmation');
    noProblems(log);
  }, 60_000);

  it.each([
    ['English', '/'],
    ['Spanish', '/es.html'],
  ])('fits a small phone with text at 200%% (%s), its error shown', async (_language, pathname) => {
    const opened = await openPage(browser, { viewport: { width: 320, height: 568 } });
    pages.push(opened.page);
    const page = opened.page;
    await page.goto(`${running.url}${pathname}`, { waitUntil: 'load' });
    await page.evaluate(() => (document.documentElement.style.fontSize = '200%'));
    await openWidget(page);
    await crisis(page, pathname === '/' ? 'I want to kill myself' : 'quiero morir');
    await inWidget(page, (root) => (root.querySelector('#kw-followup-input') as HTMLElement).focus());
    await page.keyboard.type('1234');
    await page.keyboard.press('Enter');
    await waitInWidget(page, (root) => !(root.querySelector('.kw-followup-error') as HTMLElement).hidden);
    const layout = await inWidget(page, (root) => {
      const log = root.querySelector('.kw-log') as HTMLElement;
      const right = log.getBoundingClientRect().right;
      return {
        overflowX: log.scrollWidth - log.clientWidth,
        sticking: Array.from(root.querySelectorAll('.kw-followup *'))
          .filter((e) => e.getBoundingClientRect().right > right + 0.5)
          .map((e) => e.className),
      };
    });
    expect(layout).toEqual({ overflowX: 0, sticking: [] });
    noProblems(opened.log);
  });

  it("shows the server's refusal when the flag was resolved meanwhile, keeping what was typed", async () => {
    const { page, log } = await demo();
    await openWidget(page);
    const conversationId = await crisis(page, "I'm going to overdose tonight");
    const flag = (await flagOf(conversationId))!;
    await running.app.get(EscalationService).resolve(flag.id, 'staff-1', 'reached by phone');
    await page.click('kap-chat >>> #kw-followup-input');
    await page.keyboard.type('555-0100');
    await page.keyboard.press('Enter');
    await waitInWidget(page, (root) => !(root.querySelector('.kw-followup-error') as HTMLElement).hidden);
    expect(await state(page)).toMatchObject({
      value: '555-0100',
      invalid: 'true',
      error: en.followUpUnknown,
      description: en.followUpUnknown,
      formShown: true,
      done: null,
    });
    noProblems(log);
  }, 60_000);
});
