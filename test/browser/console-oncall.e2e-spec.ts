import type { Browser, Page } from 'puppeteer-core';
import type { Socket } from 'socket.io-client';
import { EscalationService } from '../../src/escalation/escalation.service.js';
import { LiveEvents } from '../../src/events/live-events.js';
import { StaffGateway } from '../../src/staff/staff.gateway.js';
import { StaffService } from '../../src/staff/staff.service.js';
import { access, ask, connectVisitor, startApp, type RunningApp } from '../support/app.js';
import { readLines } from '../support/fixtures.js';
import { addStaff, connectConsole } from '../support/staff.js';
import { freePort, WebhookReceiver } from '../support/webhook.js';
import {
  inWidget,
  launchBrowser,
  openPage,
  openWidget,
  seriousAxeViolationsInPage,
  waitForWidget,
  waitInWidget,
} from './support/browser.js';
import { alertsIn, openConsolePage, signInAt, textOf, waitIn } from './support/console.js';

/**
 * The staff console at /console in real headless Chromium (one browser, one app for the file): the
 * on-call workflow end to end with a visitor in the real widget, accessibility in each state, hostile
 * transcripts, an editor's view, and sessions that end.
 */

const NURSE = 'nurse@clinic.example';
const COLLEAGUE = 'colleague@clinic.example';
const EDITOR = 'editor@clinic.example';
const CRISIS = "I've been thinking about ending my life";
const SIGNED_OUT_NOTICE = /^Your session has ended/;

describe('the staff console', () => {
  let running: RunningApp;
  let browser: Browser;
  let pager: WebhookReceiver;
  const pages: Page[] = [];
  const sockets: Socket[] = [];

  beforeAll(async () => {
    // Paging goes to a real receiver that a test can make fail; a page that fails for 1.8 s is given up.
    pager = new WebhookReceiver(await freePort());
    await pager.start();
    [running, browser] = await Promise.all([
      startApp({
        RATE_LIMIT_MESSAGES: '100000',
        PAGING_WEBHOOK_URL: pager.url,
        PAGING_WEBHOOK_SECRET: 'a-test-secret-of-16+chars',
        OUTBOX_POLL_MS: '100',
        WEBHOOK_RETRY_BASE_MS: '100',
        WEBHOOK_RETRY_MAX_MS: '200',
        PAGING_GIVE_UP_HOURS: '0.0005',
        PAGING_FOLD_SECONDS: '1',
        TRUST_PROXY: 'loopback',
      }),
      launchBrowser(),
    ]);
    await Promise.all([
      addStaff(running, NURSE, 'oncall'),
      addStaff(running, COLLEAGUE, 'oncall'),
      addStaff(running, EDITOR, 'editor'),
    ]);
  }, 60_000);
  afterAll(async () => {
    for (const s of sockets) s.close();
    await browser?.close();
    await running?.close();
    await pager?.stop();
  });
  afterEach(async () => {
    await Promise.all(pages.splice(0).map((p) => p.close().catch(() => undefined)));
  });

  /** A visitor on a real socket.io connection from its own address; returns the conversation's open flag. */
  async function crisisFrom(
    address: string,
    text: string,
  ): Promise<{ visitor: Socket; conversationId: string; flagId: string; access: ReturnType<typeof access> }> {
    const visitor = await connectVisitor(running.url, { extraHeaders: { 'x-forwarded-for': address } });
    sockets.push(visitor);
    const reply = await ask(visitor, { text });
    expect(reply.type).toBe('crisis');
    const flagId = (await running.app.get(EscalationService).openFlagId(reply.conversationId))!;
    return { visitor, conversationId: reply.conversationId, flagId, access: access(reply) };
  }

  async function axeClean(page: Page, state: string): Promise<void> {
    const violations = await seriousAxeViolationsInPage(page);
    expect({ state, violations }).toEqual({ state, violations: [] });
  }

  it('takes an on-call nurse from sign-in to a resolved flag: live queue, transcript, acknowledge, join, talk both ways, leave, resolve, trail', async () => {
    const { page, log } = await openConsolePage(browser);
    pages.push(page);
    await page.goto(`${running.url}/console`, { waitUntil: 'load' });
    await page.waitForSelector('#email');
    expect(await page.title()).toBe('Sign in — KAP console');
    await axeClean(page, 'sign-in page');

    await signInAt(page, running.url, NURSE);
    await page.waitForSelector('#queue-title');
    await waitIn(page, () => document.querySelector('.connection')?.textContent === 'Live');
    expect(await page.title()).toBe('On-call — KAP');
    expect(await textOf(page, '.who')).toBe(`${NURSE} (on-call)`);
    // Permission is asked only from the button, never on load.
    expect(alertsIn(log).permissionRequests).toBe(0);
    const turnOn = await page.waitForSelector('xpath/.//button[contains(., "Turn on desktop notifications")]');
    await turnOn!.click();
    await waitIn(page, () => /Desktop notifications on/.test(document.querySelector('.alerts')?.textContent ?? ''));
    expect(alertsIn(log).permissionRequests).toBe(1);
    const chimesBefore = alertsIn(log).chimes;

    // A visitor in the real widget writes a crisis message.
    const { page: visitor, log: visitorLog } = await openPage(browser);
    pages.push(visitor);
    await visitor.goto(`${running.url}/`, { waitUntil: 'load' });
    await openWidget(visitor);
    await visitor.keyboard.type(CRISIS);
    await visitor.keyboard.press('Enter');
    await waitForWidget(visitor, '.kw-crisis');

    // It is in the queue at once, with a sound, a notification, an announcement and the count in the title.
    await page.waitForSelector('.queue .flag');
    await waitIn(page, () => document.title === '(1) On-call — KAP');
    const row = await page.evaluate(() => {
      const li = document.querySelector('.queue .flag')!;
      const facts = Object.fromEntries(
        Array.from(li.querySelectorAll('.facts > div')).map((d) => [
          d.querySelector('dt')!.textContent,
          d.querySelector('dd')!.textContent,
        ]),
      );
      return { link: li.querySelector('.flag-link')!.textContent, facts };
    });
    expect(row.link).toMatch(/^Disclosure — raised at \d\d:\d\d:\d\d$/);
    expect(row.facts).toMatchObject({
      Status: expect.stringMatching(/^Not acknowledged, waiting \d+ s$/),
      Reason: expect.stringMatching(/\w/),
      Language: 'English',
      Paging: expect.stringMatching(/^(Paging: sending|Paged) · Escalates at \d\d:\d\d:\d\d$/),
    });
    await waitIn(page, () => /^Paged · /.test(document.querySelector('.queue .paging')?.parentElement?.textContent ?? ''));
    await waitIn(page, () =>
      /New crisis flag: Disclosure, English/.test(document.querySelector('[aria-live="assertive"]')?.textContent ?? ''),
    );
    expect(alertsIn(log).chimes).toBeGreaterThan(chimesBefore);
    expect(alertsIn(log).notifications).toEqual(['New crisis flag | Disclosure, English. Open the on-call console.']);
    // The waiting time ticks.
    const waited = await textOf(page, '.queue .ticking');
    await waitIn(page, (before: string) => document.querySelector('.queue .ticking')?.textContent !== before, 5000, waited!);
    await axeClean(page, 'queue with a flag');

    // Open it by keyboard: focus moves to the flag's heading; the transcript is there.
    await page.focus('.flag-link');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.transcript .turn-visitor');
    await waitIn(page, () => document.activeElement?.id === 'flag-title');
    const transcript = await page.$$eval('.transcript .turn', (turns) =>
      turns.map((t) => [t.querySelector('.turn-who')!.textContent, t.querySelector('.turn-text')!.textContent]),
    );
    expect(transcript[0]).toEqual(['Visitor', CRISIS]);
    expect(transcript[1]![0]).toBe('Assistant');
    expect(transcript[1]![1]).toMatch(/988/);
    await axeClean(page, 'an open flag');

    // A colleague opens it too: the trail shows it live.
    const colleague = await connectConsole(running.url, COLLEAGUE);
    sockets.push(colleague);
    const flagId = await page.evaluate(() => location.hash.slice('#flag='.length));
    expect((await colleague.emitWithAck('flag:view', { id: flagId })).flag.id).toBe(flagId);
    await waitIn(
      page,
      (who: string) => (document.querySelector('.activity')?.textContent ?? '').includes(`${who} opened the flag`),
      5000,
      COLLEAGUE,
    );

    // Acknowledge.
    await page.click('xpath/.//button[normalize-space()="Acknowledge"]');
    await waitIn(page, () =>
      /^Acknowledged by you at \d\d:\d\d:\d\d$/.test(document.querySelector('.status-text')?.textContent ?? ''),
    );

    // Join: the visitor is told, the message box gets the focus.
    await page.click('xpath/.//button[normalize-space()="Join the conversation"]');
    await waitIn(page, () => document.activeElement?.id === 'reply');
    await waitInWidget(visitor, (root) =>
      Array.from(root.querySelectorAll('.kw-notice')).some((n) => /joined/.test(n.textContent ?? '')),
    );

    // The nurse writes; the visitor sees it as text.
    const nurseText = 'Hi, I am Sam from the care team. Are you safe right now?';
    await page.keyboard.type(nurseText);
    await page.keyboard.press('Enter');
    await waitForWidget(visitor, '.kw-staff');
    expect(await inWidget(visitor, (root) => root.querySelector('.kw-staff .kw-text')!.textContent)).toBe(nurseText);
    await waitIn(
      page,
      (text: string) => Array.from(document.querySelectorAll('.turn-staff .turn-text')).some((t) => t.textContent === text),
      5000,
      nurseText,
    );

    // The visitor answers; the nurse sees it live.
    const visitorText = 'Yes, I am safe. Thank you for being here.';
    await visitor.click('kap-chat >>> #kw-input');
    await visitor.keyboard.type(visitorText);
    await visitor.keyboard.press('Enter');
    await waitIn(
      page,
      (text: string) => document.querySelector('.transcript .turn:last-child .turn-text')?.textContent === text,
      10_000,
      visitorText,
    );

    // Leave: the visitor is told; the Join button is back (with the focus).
    await page.click('xpath/.//button[normalize-space()="Leave the conversation"]');
    await waitIn(page, () => document.activeElement?.textContent === 'Join the conversation');
    await waitInWidget(visitor, (root) =>
      Array.from(root.querySelectorAll('.kw-notice')).some((n) => /left/.test(n.textContent ?? '')),
    );

    // Resolve: a note is required.
    await page.click('xpath/.//button[normalize-space()="Resolve flag"]');
    await waitIn(
      page,
      () => document.activeElement?.id === 'note' && document.querySelector('#note')?.getAttribute('aria-invalid') === 'true',
    );
    const note = 'Talked with the visitor; safe tonight, will call the clinic tomorrow.';
    await page.keyboard.type(note);
    await page.click('xpath/.//button[normalize-space()="Resolve flag"]');
    await page.waitForSelector('.outcome');
    expect(await textOf(page, '.outcome')).toMatch(/^Resolved by you at \d\d:\d\d:\d\d\.$/);
    await waitIn(page, () => document.title === 'On-call — KAP');

    // The trail: who did what, and when, in order.
    const trail = await page.$$eval('.activity li', (items) => items.map((li) => li.textContent!.replace(/\s+/g, ' ').trim()));
    const mine = `${NURSE} (you)`;
    expect(trail.map((t) => t.replace(/^\d\d:\d\d:\d\d /, ''))).toEqual([
      `${mine} opened the flag`,
      `${COLLEAGUE} opened the flag`,
      `${mine} acknowledged the flag`,
      `${mine} joined the conversation`,
      `${mine} wrote to the visitor`,
      `${mine} left the conversation`,
      `${mine} resolved the flag: “${note}”`,
    ]);
    expect(trail.every((t) => /^\d\d:\d\d:\d\d /.test(t))).toBe(true);

    // Back to the queue: empty now, focus on its heading.
    await page.click('.back a');
    await page.waitForSelector('#queue-title');
    expect(await textOf(page, '.empty')).toMatch(/^No open flags/);

    for (const l of [log, visitorLog]) {
      expect(l.csp).toEqual([]);
      expect(l.errors).toEqual([]);
      expect(l.executed).toEqual([]);
    }
  }, 90_000);

  it('puts a flag whose paging failed at the top until someone acknowledges it, and says so', async () => {
    const { page, log } = await openConsolePage(browser);
    pages.push(page);
    await signInAt(page, running.url, NURSE);
    await waitIn(page, () => document.querySelector('.connection')?.textContent === 'Live');

    pager.status = 503;
    const failing = await crisisFrom('198.51.100.21', 'I feel like a burden and want to die');
    const rowOf = (id: string) => `.queue .flag:has([data-flag="${id}"])`;
    await waitIn(
      page,
      (sel: string) => /Paging failed/.test(document.querySelector(sel)?.textContent ?? ''),
      10_000,
      rowOf(failing.flagId),
    );
    pager.status = 200;
    const imminent = await crisisFrom('198.51.100.22', "I'm going to overdose tonight, I have the pills here");
    await page.waitForSelector(`[data-flag="${imminent.flagId}"]`);
    await waitIn(
      page,
      (sel: string) => /Paged/.test(document.querySelector(sel)?.textContent ?? ''),
      10_000,
      rowOf(imminent.flagId),
    );

    const order = () => page.$$eval('.queue .flag-link', (links) => links.map((a) => (a as HTMLElement).dataset.flag));
    const kinds = await page.$$eval('.queue .flag .kind', (k) => k.map((e) => e.textContent));
    // Less severe, but nobody may have been told: first.
    expect((await order()).slice(0, 2)).toEqual([failing.flagId, imminent.flagId]);
    expect(kinds.slice(0, 2)).toEqual(['Disclosure', 'Imminent risk']);
    expect(await textOf(page, '.banner.danger')).toMatch(/^Paging failed for 1 flag: /);

    // Once someone has it, the more severe unacknowledged flag goes first; the badge stays.
    const colleague = await connectConsole(running.url, COLLEAGUE);
    sockets.push(colleague);
    expect((await colleague.emitWithAck('flag:acknowledge', { id: failing.flagId })).flag.status).toBe('acknowledged');
    await waitIn(
      page,
      (id: string) => document.querySelector('.queue .flag-link')?.getAttribute('data-flag') === id,
      5000,
      imminent.flagId,
    );
    expect(await textOf(page, `${rowOf(failing.flagId)} .facts`)).toMatch(
      new RegExp(`Acknowledged by ${COLLEAGUE.replace('.', '\\.')} at .*Paging failed`),
    );
    expect(log.errors).toEqual([]);
    expect(log.csp).toEqual([]);
  }, 60_000);

  it('shows a transcript of hostile HTML as text and runs none of it', async () => {
    const payloads = [
      '<img src=x onerror="window.__xss=1">',
      '<script>window.__xss=2</script>',
      '"><svg onload="window.__xss=3">',
      '<iframe srcdoc="<script>parent.__xss=4</script>"></iframe>',
      '<a href="javascript:window.__xss=5">click</a>',
      ...readLines('xss-payloads.txt')
        .map((p) => p.trim())
        // A spread over the whole list (the widget's own test sends ten times as many).
        .filter((p, i) => p && p.length <= 1000 && i % 110 === 0),
    ];
    expect(payloads.length).toBeGreaterThan(60);
    const { visitor, flagId, access: same } = await crisisFrom('198.51.100.31', 'I want to kill myself');
    for (const text of payloads) expect((await ask(visitor, { text, ...same })).conversationId).toBe(same.conversationId);

    const { page, log } = await openConsolePage(browser);
    pages.push(page);
    await signInAt(page, running.url, NURSE);
    await page.waitForSelector('#queue-title');
    await page.evaluate((id) => (location.hash = `#flag=${id}`), flagId);
    await waitIn(
      page,
      (n: number) => document.querySelectorAll('.transcript .turn-visitor').length === n,
      15_000,
      payloads.length + 1,
    );

    const result = await page.evaluate(() => {
      const texts = Array.from(document.querySelectorAll('.transcript .turn-visitor .turn-text'));
      const everything = Array.from(document.querySelectorAll('*'));
      return {
        texts: texts.map((t) => t.textContent),
        markup: texts.filter((t) => t.childElementCount > 0 || t.childNodes.length !== 1).length,
        handlers: everything
          .filter((el) => Array.from(el.attributes).some((a) => /^on/i.test(a.name)))
          .map((el) => el.outerHTML.slice(0, 80)),
        foreign: Array.from(document.querySelectorAll('.transcript *'))
          .filter((el) => !/^(ol|li|p|span|time)$/.test(el.localName))
          .map((el) => el.outerHTML.slice(0, 80)),
        javascriptLinks: everything.filter((el) => /^\s*javascript:/i.test(el.getAttribute('href') ?? '')).length,
        ran: (window as unknown as { __xss?: number }).__xss ?? null,
      };
    });
    expect(result.texts).toEqual(['I want to kill myself', ...payloads]);
    expect(result).toMatchObject({ markup: 0, handlers: [], foreign: [], javascriptLinks: 0, ran: null });
    // Back on the queue, the focus returns to the flag's link.
    await page.click('.back a');
    await waitIn(page, (id: string) => (document.activeElement as HTMLElement | null)?.dataset.flag === id, 5000, flagId);
    expect(log.executed).toEqual([]);
    expect(log.csp).toEqual([]);
    expect(log.errors).toEqual([]);
  }, 60_000);

  it('shows an editor who is not on call no queue and no transcript, and opens no on-call connection', async () => {
    const { flagId } = await crisisFrom('198.51.100.41', 'I want to die');
    const consoles = running.app.get(LiveEvents).onCallConsoles;
    const { page, log } = await openConsolePage(browser);
    pages.push(page);
    await signInAt(page, running.url, EDITOR);
    // The editor's screens, and none of the on-call ones.
    await page.waitForSelector('#entries-title');
    expect(await textOf(page, '.who')).toBe(`${EDITOR} (editor)`);
    // A link to a flag shows nothing of it either.
    await page.evaluate((id) => (location.hash = `#flag=${id}`), flagId);
    await waitIn(page, (id: string) => location.hash === `#flag=${id}`, 5000, flagId);
    await page.waitForSelector('#entries-title');
    expect(
      await page.evaluate(() => ({
        nav: Array.from(document.querySelectorAll('nav a')).map((a) => a.textContent),
        queue: document.querySelectorAll('.queue, .queue-screen, .transcript, .flag-screen').length,
        connection: document.querySelectorAll('.connection').length,
      })),
    ).toEqual({ nav: ['Entries', 'Question tester', 'Triage', 'Analytics'], queue: 0, connection: 0 });
    expect(await page.title()).toBe('Entries — KAP console');
    expect(running.app.get(LiveEvents).onCallConsoles).toBeLessThanOrEqual(consoles);
    await axeClean(page, 'editor without on-call');
    expect(log.errors).toEqual([]);
  }, 30_000);

  it('comes back by itself after the server drops the connection, and says that it left the conversation', async () => {
    const { flagId, visitor } = await crisisFrom('198.51.100.51', 'I want to end it all');
    const { page, log } = await openConsolePage(browser);
    pages.push(page);
    await signInAt(page, running.url, NURSE);
    await waitIn(page, () => document.querySelector('.connection')?.textContent === 'Live');
    await page.evaluate((id) => (location.hash = `#flag=${id}`), flagId);
    await page.waitForSelector('.transcript .turn-visitor');
    const joined = new Promise((resolve) => visitor.once('staff:joined', resolve));
    await page.click('xpath/.//button[normalize-space()="Join the conversation"]');
    await joined;

    // The server closes the console's connection (as a restart or a proxy would); the session is still good.
    const left = new Promise((resolve) => visitor.once('staff:left', resolve));
    const { server } = running.app.get(StaffGateway) as unknown as {
      server: { fetchSockets(): Promise<Array<{ disconnect(close: boolean): void }>> };
    };
    for (const socket of await server.fetchSockets()) socket.disconnect(true);
    await left;
    await waitIn(page, () =>
      /The connection dropped, so you left the conversation/.test(document.querySelector('.banner.warn')?.textContent ?? ''),
    );
    await waitIn(page, () => document.querySelector('.connection')?.textContent === 'Live');
    await page.waitForSelector('xpath/.//button[normalize-space()="Join the conversation"]');
    expect(await page.$('#email')).toBeNull();
    expect(log.errors).toEqual([]);
  }, 30_000);

  it('returns to the sign-in page when the session ends: signing out, signed out elsewhere, account disabled', async () => {
    const { page, log } = await openConsolePage(browser);
    pages.push(page);

    // Signing out here.
    await signInAt(page, running.url, NURSE);
    await waitIn(page, () => document.querySelector('.connection')?.textContent === 'Live');
    await page.click('xpath/.//button[normalize-space()="Sign out"]');
    await page.waitForSelector('#email');
    expect(await textOf(page, '.notice')).toBe('You have signed out.');
    await page.reload({ waitUntil: 'load' });
    await page.waitForSelector('#email');
    expect(await page.$('.notice')).toBeNull();

    // Signed out elsewhere (the same session, ended from another client).
    await signInAt(page, running.url, NURSE);
    await waitIn(page, () => document.querySelector('.connection')?.textContent === 'Live');
    const cookie = (await page.cookies()).find((c) => c.name === 'kap_staff')!;
    expect(cookie.httpOnly).toBe(true);
    await fetch(`${running.url}/api/auth/logout`, { method: 'POST', headers: { cookie: `kap_staff=${cookie.value}` } });
    await page.waitForSelector('#email');
    expect(await textOf(page, '.notice')).toMatch(SIGNED_OUT_NOTICE);
    await waitIn(page, () => document.activeElement?.id === 'email');

    // The account is disabled while its console is open.
    await addStaff(running, 'leaving@clinic.example', 'oncall');
    await signInAt(page, running.url, 'leaving@clinic.example');
    await waitIn(page, () => document.querySelector('.connection')?.textContent === 'Live');
    await running.app.get(StaffService).disable('leaving@clinic.example');
    await page.waitForSelector('#email');
    expect(await textOf(page, '.notice')).toMatch(SIGNED_OUT_NOTICE);
    expect(log.errors).toEqual([]);
  }, 60_000);
});
