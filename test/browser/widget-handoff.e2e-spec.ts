import type { Browser } from 'puppeteer-core';
import { AnswerComposer } from '../../src/answers/answer-composer.js';
import { HandoffService } from '../../src/chat/handoff.service.js';
import { startApp, type RunningApp } from '../support/app.js';
import { inWidget, launchBrowser, openPage, waitForWidget, waitInWidget } from './support/browser.js';

/**
 * A person from the care team joins the conversation (driven here through the server's own hand-off
 * service): the widget shows the notices and their messages as text, says who is there, relays the
 * visitor's messages, counts what arrives while it is closed, and shows it all again after a reload.
 */

const STAFF_TEXT = 'Hi, I am Sam from the care team. <img src=x onerror=alert(1)> Are you safe?';

describe('the widget when the care team joins', () => {
  let running: RunningApp;
  let browser: Browser;

  beforeAll(async () => {
    [running, browser] = await Promise.all([startApp({ CLINIC_NAME: 'Example Clinic' }), launchBrowser()]);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await running?.close();
  });

  it('shows staff notices and messages as text, relays the visitor, and keeps it all across a reload', async () => {
    const handoff = running.app.get(HandoffService);
    const { page, log } = await openPage(browser);
    await page.goto(`${running.url}/`, { waitUntil: 'load' });
    await page.click('kap-chat >>> .kw-launcher');
    await waitForWidget(page, '.kw-panel', { visible: true });
    // The care team joins flagged conversations only.
    await page.keyboard.type("I've been thinking about ending my life");
    await page.keyboard.press('Enter');
    await waitForWidget(page, '.kw-crisis');
    const { id } = JSON.parse((await page.evaluate(() => sessionStorage.getItem('kapchat.conversation')))!) as { id: string };

    await handoff.join(id, 'console-1', 'staff-1');
    await waitForWidget(page, '.kw-notice');
    await waitInWidget(page, (root) => /care team/i.test(root.querySelector('.kw-status')?.textContent ?? ''));
    await handoff.say(id, 'console-1', 'staff-1', STAFF_TEXT);
    await waitForWidget(page, '.kw-staff');
    const staff = await inWidget(page, (root) => ({
      text: root.querySelector('.kw-staff .kw-text')!.textContent,
      elements: root.querySelector('.kw-staff .kw-text')!.childElementCount,
      who: root.querySelector('.kw-staff .kw-who')!.textContent,
    }));
    expect(staff).toEqual({ text: STAFF_TEXT, elements: 0, who: 'Care team' });
    await waitInWidget(page, (root, text) => root.querySelector('.kw-announcer')?.textContent === text, 5000, STAFF_TEXT);

    // The visitor's reply goes to the person, not to the assistant.
    const bots = await inWidget(page, (root) => root.querySelectorAll('.kw-bot, .kw-crisis').length);
    await page.keyboard.type('Yes, I am safe, thank you.');
    await page.keyboard.press('Enter');
    await waitInWidget(page, (root) =>
      (Array.from(root.querySelectorAll('.kw-visitor .kw-note')).pop()?.textContent ?? '').includes('care team'),
    );
    expect(await inWidget(page, (root) => root.querySelectorAll('.kw-bot, .kw-crisis').length)).toBe(bots);

    // A message while the widget is closed shows on the launcher.
    await page.keyboard.press('Escape');
    await handoff.say(id, 'console-1', 'staff-1', 'I will call you tomorrow.');
    await waitInWidget(page, (root) => root.querySelector('.kw-badge')?.textContent === '1');

    // After a reload, everything is there again, and the status says a person is present.
    await page.reload({ waitUntil: 'load' });
    await page.click('kap-chat >>> .kw-launcher');
    await waitInWidget(page, (root) => root.querySelectorAll('.kw-staff').length === 2);
    const resumed = await inWidget(page, (root) => ({
      staff: Array.from(root.querySelectorAll('.kw-staff .kw-text')).map((e) => e.textContent),
      notices: Array.from(root.querySelectorAll('.kw-notice')).map((n) => n.textContent),
      visitor: Array.from(root.querySelectorAll('.kw-visitor .kw-text')).map((e) => e.textContent),
      status: root.querySelector('.kw-status')!.textContent,
      banner: !(root.querySelector('.kw-banner') as HTMLElement).hidden,
    }));
    expect(resumed).toEqual({
      staff: [STAFF_TEXT, 'I will call you tomorrow.'],
      // The "joined" notice once. While a person is there the assistant says nothing more: the resources
      // stay in the banner.
      notices: [expect.stringMatching(/joined/)],
      visitor: ["I've been thinking about ending my life", 'Yes, I am safe, thank you.'],
      status: expect.stringMatching(/care team/i),
      banner: true,
    });

    // The person leaves: a notice, and the assistant answers again.
    await handoff.leave(id, 'console-1');
    await waitInWidget(page, (root) =>
      Array.from(root.querySelectorAll('.kw-notice')).some((n) => /left/.test(n.textContent ?? '')),
    );
    await waitInWidget(page, (root) => !/care team is in/i.test(root.querySelector('.kw-status')?.textContent ?? ''));
    await page.click('kap-chat >>> #kw-input');
    await page.keyboard.type('Is ketamine addictive?');
    await page.keyboard.press('Enter');
    await waitForWidget(page, '.kw-answer');

    expect(log.executed).toEqual([]);
    expect(log.csp).toEqual([]);
    expect(log.errors).toEqual([]);
    await page.close();
  }, 60_000);

  it("shows no bubble for a relayed message and keeps the banner in the relayed reply's resource order (911 first when imminent)", async () => {
    const handoff = running.app.get(HandoffService);
    const { page, log } = await openPage(browser);
    await page.goto(`${running.url}/`, { waitUntil: 'load' });
    await page.click('kap-chat >>> .kw-launcher');
    await waitForWidget(page, '.kw-panel', { visible: true });
    await page.keyboard.type("I'm going to overdose tonight");
    await page.keyboard.press('Enter');
    await waitForWidget(page, '.kw-crisis');
    const { id } = JSON.parse((await page.evaluate(() => sessionStorage.getItem('kapchat.conversation')))!) as { id: string };
    await handoff.join(id, 'console-2', 'staff-2');
    await waitInWidget(page, (root) => /care team/i.test(root.querySelector('.kw-status')?.textContent ?? ''));

    const before = await inWidget(page, (root) => root.querySelector('.kw-log')!.querySelectorAll('.kw-msg, .kw-notice').length);
    await page.keyboard.type('I am still here.');
    await page.keyboard.press('Enter');
    await waitInWidget(page, (root) =>
      (Array.from(root.querySelectorAll('.kw-visitor .kw-note')).pop()?.textContent ?? '').includes('care team'),
    );
    const after = await inWidget(page, (root) => ({
      added: Array.from(root.querySelector('.kw-log')!.querySelectorAll('.kw-msg, .kw-notice')).map((e) => e.className),
      empty: Array.from(root.querySelectorAll('.kw-log .kw-msg, .kw-log .kw-notice')).filter((e) => !(e.textContent ?? '').trim())
        .length,
      banner: (root.querySelector('.kw-banner') as HTMLElement).hidden
        ? null
        : Array.from(root.querySelectorAll('.kw-banner a')).map((a) => a.getAttribute('href')),
    }));
    // Only the visitor's own bubble was added: nothing, not even an empty bubble, for the relayed reply.
    expect(after.added).toHaveLength(before + 1);
    expect(after.added[after.added.length - 1]).toContain('kw-visitor');
    expect(after.empty).toBe(0);
    const expected = running.app
      .get(AnswerComposer)
      .resources('en', true)
      .filter((r) => /^(tel|sms):/.test(r.href))
      .map((r) => r.href);
    expect(expected[0]).toBe('tel:911');
    expect(after.banner).toEqual(expected);
    expect(log.errors).toEqual([]);
    expect(log.csp).toEqual([]);
    await page.close();
  }, 60_000);
});
