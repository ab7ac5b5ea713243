import type { Browser, Page } from 'puppeteer-core';
import { UI_STRINGS } from '../../client/widget/src/shared/strings.js';
import { EscalationService } from '../../src/escalation/escalation.service.js';
import { startApp, type RunningApp } from '../support/app.js';
import {
  inWidget,
  launchBrowser,
  openPage,
  openWidget,
  seriousAxeViolations,
  waitInWidget,
  type PageLog,
} from './support/browser.js';

/**
 * A message over the server's limit (1000 characters) is refused by the widget itself: nothing is cut
 * off or lost, the visitor is told (in their language), and the crisis resources are shown, because a
 * long message may be someone pouring their heart out. The server still screens it for a crisis.
 */

const LIMIT = 1000;
/** About 1,200 characters of someone writing at length, with no crisis language. */
const LONG = {
  en: 'I have a lot of questions about starting ketamine therapy and about how the sessions work. '.repeat(13).trim(),
  es: 'Tengo muchas preguntas sobre cómo empezar la terapia con ketamina y cómo funcionan las sesiones. '.repeat(13).trim(),
};
const BUILT_IN_HREFS = {
  en: ['tel:988', 'sms:988', 'sms:741741?&body=HOME', 'tel:911'],
  es: ['tel:988', 'sms:988?&body=AYUDA', 'sms:741741?&body=AYUDA', 'tel:911'],
};

describe('a message over the length limit', () => {
  let running: RunningApp;
  let browser: Browser;
  const pages: Page[] = [];

  beforeAll(async () => {
    [running, browser] = await Promise.all([startApp({ CLINIC_NAME: 'Example Clinic' }), launchBrowser()]);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await running?.close();
  });
  afterEach(async () => {
    await Promise.all(pages.splice(0).map((p) => p.close().catch(() => undefined)));
  });

  async function demo(pathname: string): Promise<{ page: Page; log: PageLog }> {
    const opened = await openPage(browser);
    pages.push(opened.page);
    await opened.page.goto(`${running.url}${pathname}`, { waitUntil: 'load' });
    await openWidget(opened.page);
    await waitInWidget(opened.page, (root) => root.querySelector('.kw-status')?.getAttribute('data-state') === 'online');
    return opened;
  }

  function composer(page: Page) {
    return inWidget(page, (root) => {
      const input = root.querySelector('#kw-input') as HTMLTextAreaElement;
      const describedBy = input.getAttribute('aria-describedby');
      const error = describedBy ? root.getElementById(describedBy) : null;
      const banner = root.querySelector('.kw-banner') as HTMLElement;
      return {
        value: input.value,
        invalid: input.getAttribute('aria-invalid'),
        error: error && !error.hidden ? error.textContent : null,
        visitor: root.querySelectorAll('.kw-visitor').length,
        banner: banner.hidden ? null : Array.from(banner.querySelectorAll('a')).map((a) => a.getAttribute('href')),
      };
    });
  }

  it.each([
    ['en', '/'],
    ['es', '/es.html'],
  ] as const)('keeps what was typed, says it is too long, and shows the resources (%s)', async (locale, pathname) => {
    const t = UI_STRINGS[locale];
    const { page, log } = await demo(pathname);
    const text = LONG[locale];
    expect(text.length).toBeGreaterThan(LIMIT);
    await page.click('kap-chat >>> #kw-input');
    await page.keyboard.sendCharacter(text); // as a paste would: all at once
    await page.keyboard.press('Enter');
    await waitInWidget(page, (root) => root.querySelector('#kw-input')?.getAttribute('aria-invalid') === 'true');
    expect(await composer(page)).toEqual({
      value: text,
      invalid: 'true',
      error: t.tooLong(text.length, LIMIT),
      visitor: 0,
      banner: BUILT_IN_HREFS[locale],
    });
    // Said once by the polite announcer; focus stays in the text box, to edit it.
    await waitInWidget(
      page,
      (root, said) => root.querySelector('.kw-announcer')?.textContent === said,
      5000,
      t.tooLong(text.length, LIMIT),
    );
    expect(await inWidget(page, (root) => root.activeElement?.id)).toBe('kw-input');
    expect(await seriousAxeViolations(page)).toEqual([]);

    // Shortened to the limit, the error goes; sent, it is answered; the resources stay for this conversation.
    await inWidget(
      page,
      (root, max) => {
        const input = root.querySelector('#kw-input') as HTMLTextAreaElement;
        input.setSelectionRange(max, input.value.length);
      },
      LIMIT,
    );
    await page.keyboard.press('Delete');
    await waitInWidget(page, (root) => !root.querySelector('#kw-input')!.hasAttribute('aria-invalid'));
    expect(await composer(page)).toMatchObject({ value: text.slice(0, LIMIT), invalid: null, error: null });
    await page.keyboard.press('Enter');
    await waitInWidget(page, (root) => root.querySelectorAll('.kw-bot').length === 1);
    expect(await composer(page)).toMatchObject({ value: '', visitor: 1, banner: expect.arrayContaining(['tel:988']) });
    expect(await inWidget(page, (root) => root.querySelector('.kw-visitor .kw-text')!.textContent)).toBe(text.slice(0, LIMIT));
    expect(log.errors).toEqual([]);
    expect(log.csp).toEqual([]);
  });

  it('refuses an over-long message given to KapChat.ask too, into the empty text box', async () => {
    const { page } = await demo('/');
    const text = LONG.en;
    await page.evaluate((t) => (window as any).KapChat.ask(t), text);
    await waitInWidget(page, (root) => root.querySelector('#kw-input')?.getAttribute('aria-invalid') === 'true');
    expect(await composer(page)).toMatchObject({ value: text, visitor: 0, error: UI_STRINGS.en.tooLong(text.length, LIMIT) });
  });

  it('still lets the server screen it: a crisis in a long message gets the crisis reply, and the care team is alerted', async () => {
    const { page, log } = await demo('/');
    const text =
      `${"I don't know who else to tell. ".repeat(20)}I want to end my life. ${'I am so tired of everything. '.repeat(15)}`.trim();
    expect(text.length).toBeGreaterThan(LIMIT);
    await page.click('kap-chat >>> #kw-input');
    await page.keyboard.sendCharacter(text);
    await page.keyboard.press('Enter');
    await waitInWidget(page, (root) => root.querySelector('.kw-crisis') !== null);
    const shown = await inWidget(page, (root) => ({
      visitor: Array.from(root.querySelectorAll('.kw-visitor .kw-text')).map((e) => e.textContent),
      value: (root.querySelector('#kw-input') as HTMLTextAreaElement).value,
      invalid: root.querySelector('#kw-input')!.getAttribute('aria-invalid'),
      banner: !(root.querySelector('.kw-banner') as HTMLElement).hidden,
    }));
    // Heard: the visitor's words in the log, whole, then the crisis reply; the text box is free again.
    expect(shown).toEqual({ visitor: [text], value: '', invalid: null, banner: true });
    await waitInWidget(page, (root) => (root.querySelector('[role="alert"]')?.textContent ?? '').includes('988'));
    const stored = JSON.parse((await page.evaluate(() => sessionStorage.getItem('kapchat.conversation')))!) as { id: string };
    const flags = await running.app.get(EscalationService).unresolved();
    expect(flags.map((f) => f.conversationId)).toContain(stored.id);
    expect(log.errors).toEqual([]);
  });
});
