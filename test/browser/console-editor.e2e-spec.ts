import { rmSync } from 'node:fs';
import type { Browser, Page } from 'puppeteer-core';
import { ask, connectVisitor, startApp, type RunningApp } from '../support/app.js';
import { smallKnowledge, staffApi } from '../support/corpus.js';
import { addStaff, signIn } from '../support/staff.js';
import { askWidget, inWidget, launchBrowser, openPage, openWidget, seriousAxeViolationsInPage } from './support/browser.js';
import { openConsolePage, signInAt, textOf, waitIn } from './support/console.js';

/**
 * The console's editor screens in real headless Chromium (one browser, one app for the file, a small
 * knowledge folder so that each publish's regression check is quick): an editor edits an answer, an
 * invalid draft shows its errors by the fields, an admin publishes and the real widget answers with the
 * new text; the regression diff; the question tester; triage and analytics; an on-call user who cannot
 * reach any of it; axe-core in each state.
 */

const IDS = ['what-is-kap', 'side-effects', 'driving-after', 'drug-tests', 'insurance-cost', 'typical-costs', 'adolescents'];
const EDITOR = 'editor@clinic.example';
const ADMIN = 'admin@clinic.example';
const NURSE = 'nurse@clinic.example';
const DRIVING = 'When is it safe to drive or work after a ketamine treatment?';
const MARKER = 'Zebrafinch reminder: book your ride home before the visit.';

describe('the console for editors', () => {
  let running: RunningApp;
  let browser: Browser;
  let knowledge: string;
  const pages: Page[] = [];

  beforeAll(async () => {
    knowledge = smallKnowledge(IDS);
    [running, browser] = await Promise.all([
      startApp({
        KNOWLEDGE_DIR: knowledge,
        TRIAGE_STORE_TEXT: 'true',
        RATE_LIMIT_MESSAGES: '100000',
        NEW_CONVERSATIONS_PER_HOUR: '100000',
      }),
      launchBrowser(),
    ]);
    await Promise.all([
      addStaff(running, EDITOR, 'editor'),
      addStaff(running, ADMIN, 'admin'),
      addStaff(running, NURSE, 'oncall'),
    ]);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await running?.close();
    rmSync(knowledge, { recursive: true, force: true });
  });
  afterEach(async () => {
    await Promise.all(pages.splice(0).map((p) => p.close().catch(() => undefined)));
  });

  async function consoleAs(email: string) {
    const opened = await openConsolePage(browser);
    pages.push(opened.page);
    await signInAt(opened.page, running.url, email);
    return opened;
  }

  async function axeClean(page: Page, state: string): Promise<void> {
    const violations = await seriousAxeViolationsInPage(page);
    expect({ state, violations }).toEqual({ state, violations: [] });
  }

  /** Replaces an input's value by typing, as a person does (select all, type). */
  async function retype(page: Page, selector: string, text: string): Promise<void> {
    await page.click(selector, { clickCount: 3 });
    await page.keyboard.down('Control');
    await page.keyboard.press('KeyA');
    await page.keyboard.up('Control');
    await page.keyboard.type(text);
  }

  const click = (page: Page, text: string) => page.click(`xpath/.//button[normalize-space()="${text}"]`);

  it('takes an edit from an editor to the widget: errors by their fields, a draft, its history, an admin who publishes', async () => {
    const { page, log } = await consoleAs(EDITOR);
    await page.waitForSelector('.entries tbody tr');
    expect(await page.evaluate(() => Array.from(document.querySelectorAll('nav a'), (a) => a.textContent))).toEqual([
      'Entries',
      'Question tester',
      'Triage',
      'Analytics',
    ]);
    expect(await page.title()).toBe('Entries — KAP console');
    expect(await page.$$eval('.entries tbody tr', (rows) => rows.length)).toBe(IDS.length);
    await axeClean(page, 'entries list');

    // Search, then open the entry.
    await page.type('#entries-search', 'drive');
    await waitIn(page, () => document.querySelectorAll('.entries tbody tr').length === 1);
    expect(await textOf(page, '.count')).toBe(`1 of ${IDS.length} entries shown.`);
    await page.click('[data-entry="driving-after"]');
    await page.waitForSelector('#f-body');
    expect(await textOf(page, '#entry-title')).toBe(DRIVING);
    await waitIn(page, () => document.activeElement?.id === 'entry-title');

    // An address that is not https:// and a question too short: nothing is saved, each error sits by its field.
    const url = await page.$eval('#f-sources-0-url', (el) => (el as HTMLInputElement).value);
    await retype(page, '#f-sources-0-url', 'http://example.org/label');
    await retype(page, '#f-question', 'Car?');
    await click(page, 'Save draft');
    await page.waitForSelector('.error-summary');
    await waitIn(page, () => document.activeElement?.classList.contains('error-summary'));
    expect(await page.$$eval('.error-summary li', (items) => items.map((li) => li.textContent))).toEqual([
      expect.stringMatching(/^Question: /),
      'Source 1: address (URL): must be a well-formed https:// URL',
    ]);
    const urlField = await page.$eval('#f-sources-0-url', (el) => ({
      invalid: el.getAttribute('aria-invalid'),
      describedBy: el.getAttribute('aria-describedby'),
      // The message is in the same field block as the input, before it.
      message: el.closest('.field')?.querySelector('.field-error')?.textContent,
    }));
    expect(urlField).toEqual({
      invalid: 'true',
      describedBy: 'f-sources-0-url-error',
      message: 'Error: must be a well-formed https:// URL',
    });
    expect(await page.$eval('#f-question', (el) => el.getAttribute('aria-describedby'))).toBe('f-question-hint f-question-error');
    await axeClean(page, 'edit form with errors');
    // The summary's links take the keyboard to the field.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await waitIn(page, () => document.activeElement?.id === 'f-sources-0-url');
    expect((await staffApi(running.url, await tokenOf(EDITOR)).get('/entries/driving-after')).body.status).toBe('published');

    // Fixed, with a new line at the end of the answer: saved as a draft.
    await retype(page, '#f-sources-0-url', url);
    await retype(page, '#f-question', DRIVING);
    await page.focus('#f-body');
    await page.keyboard.down('Control');
    await page.keyboard.press('End');
    await page.keyboard.up('Control');
    await page.keyboard.type(`\n\n${MARKER}`);
    await waitIn(page, () => /Unsaved changes/.test(document.querySelector('.entry-meta')?.textContent ?? ''));
    await retype(page, '#f-note', 'ride home');
    await click(page, 'Save draft');
    await waitIn(page, () =>
      /^Draft saved as revision #2\.$/.test(document.querySelector('.entry-form .status-line')?.textContent ?? ''),
    );
    expect(await page.$('.error-summary')).toBeNull();
    await waitIn(page, () => document.querySelectorAll('.history tbody tr').length === 2);
    expect(await textOf(page, '.history tbody tr:first-child')).toMatch(
      new RegExp(`^#2 \\(latest\\).*${EDITOR}.*Edited: Answer\\. Note: “ride home”`),
    );
    // An editor does not publish (PUBLISH_BY=admin).
    expect(await textOf(page, '.publish')).toMatch(/An admin publishes/);
    expect(await page.$('.publish button.primary')).toBeNull();

    // The preview is the widget's own rendering of the draft.
    await click(page, 'Preview');
    await page.waitForSelector('.widget-preview');
    await waitIn(
      page,
      (marker: string) => {
        const root = document.querySelector('.widget-preview')?.shadowRoot;
        return !!root?.querySelector('.kw-answer .kw-more') && (root.textContent ?? '').includes(marker);
      },
      5000,
      MARKER,
    );
    expect(log.csp).toEqual([]);
    expect(log.errors).toEqual([]);

    // An admin publishes it (confirming the regression diff, should one appear).
    const { page: admin, log: adminLog } = await consoleAs(ADMIN);
    await admin.waitForSelector('#queue-title');
    await admin.evaluate(() => (location.hash = '#entry=en/driving-after'));
    await admin.waitForSelector('.publish button.primary');
    expect(await textOf(admin, '.publish')).toMatch(/Revision #2 waits to be published/);
    await click(admin, 'Publish revision #2');
    await admin.waitForSelector('.publish .outcome, .publish .confirm');
    if (await admin.$('.publish .confirm')) await click(admin, 'Publish with these changes');
    await admin.waitForSelector('.publish .outcome');
    // Its own revision (#2), or a new one (#3) when publishing moved the review dates.
    const live = (await staffApi(running.url, await tokenOf(ADMIN)).get('/entries/driving-after')).body;
    expect(live).toMatchObject({ status: 'published', latest: { live: true } });
    expect(await textOf(admin, '.publish .outcome')).toBe(`Published revision #${live.latest.number}: visitors get it now.`);
    await waitIn(admin, () => document.querySelector('.history tbody tr:first-child')?.textContent?.includes('(live)'));

    // The real widget answers with the new text at once.
    const { page: visitor } = await openPage(browser);
    pages.push(visitor);
    await visitor.goto(`${running.url}/`, { waitUntil: 'load' });
    await openWidget(visitor);
    await askWidget(visitor, DRIVING);
    const answer = await inWidget(visitor, (root) => root.querySelector('.kw-answer:last-of-type')?.textContent ?? '');
    expect(answer).toContain(MARKER);

    // The admin's analytics include the yearly crisis-referral report.
    await admin.evaluate(() => (location.hash = '#analytics'));
    await admin.waitForSelector('#report-title');
    await admin.waitForSelector('.months tbody tr');
    expect(await admin.$$eval('.months tbody tr', (rows) => rows.length)).toBe(12);
    expect(adminLog.errors).toEqual([]);
    expect(adminLog.csp).toEqual([]);
  }, 90_000);

  it('shows the regression diff before a publish that moves answers, and publishes only when confirmed', async () => {
    // An editor saves a draft that retires an entry.
    const { page } = await consoleAs(EDITOR);
    await page.waitForSelector('.entries tbody tr');
    await page.evaluate(() => (location.hash = '#entry=en/adolescents'));
    await page.waitForSelector('#retire-title');
    await click(page, 'Retire this entry…');
    await click(page, 'Save a draft that retires it');
    await waitIn(page, () =>
      /retires the entry once it is published/.test(document.querySelector('.status-line')?.textContent ?? ''),
    );

    const { page: admin, log } = await consoleAs(ADMIN);
    await admin.waitForSelector('#queue-title');
    await admin.evaluate(() => (location.hash = '#entry=en/adolescents'));
    await admin.waitForSelector('.publish button.primary');
    expect(await textOf(admin, '.publish')).toMatch(/retires this entry/);
    await click(admin, 'Publish revision #2');
    await admin.waitForSelector('.publish .confirm table');
    await waitIn(admin, () => document.activeElement?.id === 'confirm-title');
    const rows = await admin.$$eval('.confirm tbody tr', (trs) =>
      trs.map((tr) => Array.from(tr.querySelectorAll('th, td'), (c) => c.textContent?.trim())),
    );
    expect(rows).toEqual(
      expect.arrayContaining([
        [
          'Is ketamine or esketamine used for teenagers, and is there an age limit?',
          'Question of adolescents',
          expect.stringMatching(
            /^adolescents: “Is ketamine or esketamine used for teenagers, and is there an age limit\?” \(\d\.\d\d\)$/,
          ),
          expect.stringMatching(/no longer this entry's/),
        ],
      ]),
    );
    expect(await textOf(admin, '.confirm p')).toMatch(/^\d+ questions? would get a different answer \(of \d+ checked\)\./);
    await axeClean(admin, 'publish diff');
    // Nothing is live yet.
    expect((await staffApi(running.url, await tokenOf(ADMIN)).get('/entries/adolescents')).body.status).toBe('retiring');

    await click(admin, 'Publish with these changes');
    await admin.waitForSelector('.publish .outcome');
    await waitIn(admin, () => document.activeElement?.classList.contains('outcome'));
    expect(await textOf(admin, '.publish .outcome')).toMatch(/is retired, visitors are no longer answered from it/);
    expect(await admin.$$eval('.published tbody tr', (trs) => trs.length)).toBe(rows.length);
    expect((await staffApi(running.url, await tokenOf(ADMIN)).get('/entries/adolescents')).body.status).toBe('retired');
    expect(log.errors).toEqual([]);
  }, 60_000);

  it('refuses a save on top of a revision someone else replaced, and reloads their version on request', async () => {
    const { page, log } = await consoleAs(EDITOR);
    await page.waitForSelector('.entries');
    await page.evaluate(() => (location.hash = '#entry=en/typical-costs'));
    await page.waitForSelector('#f-tags');
    // Someone else saves a draft of the same entry meanwhile.
    const api = staffApi(running.url, await tokenOf(ADMIN));
    const { entry, revision } = (await api.get('/entries/typical-costs')).body;
    expect(
      (
        await api.put('/entries/typical-costs/draft', {
          entry: { ...entry, tags: [...entry.tags, 'from-elsewhere'] },
          baseRevision: revision,
        })
      ).status,
    ).toBe(200);

    await retype(page, '#f-note', 'my change');
    await page.focus('#f-tags');
    await page.keyboard.press('End');
    await page.keyboard.type(', mine');
    await click(page, 'Save draft');
    await page.waitForSelector('.stale');
    await waitIn(page, () => document.activeElement?.classList.contains('stale'));
    expect(await textOf(page, '.stale')).toMatch(
      /^This entry was changed by someone else since you opened it\. Your changes were not saved\./,
    );
    expect((await api.get('/entries/typical-costs')).body.entry.tags).not.toContain('mine');

    await click(page, 'Reload the entry');
    await waitIn(page, () => (document.getElementById('f-tags') as HTMLInputElement).value.includes('from-elsewhere'));
    expect(await page.$('.stale')).toBeNull();
    // Now on top of the newest revision, a save goes through.
    await page.focus('#f-tags');
    await page.keyboard.press('End');
    await page.keyboard.type(', mine');
    await click(page, 'Save draft');
    await waitIn(page, () =>
      /^Draft saved as revision #3\.$/.test(document.querySelector('.entry-form .status-line')?.textContent ?? ''),
    );
    expect((await api.get('/entries/typical-costs')).body.entry.tags).toEqual(expect.arrayContaining(['from-elsewhere', 'mine']));
    // Back in the list, the focus is on the entry's link again.
    await page.click('.back a');
    await page.waitForSelector('.entries tbody tr');
    await waitIn(page, () => (document.activeElement as HTMLElement | null)?.dataset.entry === 'typical-costs');
    expect(await textOf(page, '[data-entry="typical-costs"]')).toBeTruthy();
    expect(await page.$eval('tr:has([data-entry="typical-costs"]) .status', (el) => el.textContent)).toBe('Draft waiting');
    expect(log.errors).toEqual([]);
  }, 30_000);

  it('tests a question: risk and reasons, the matched entry, confidence, runners-up with scores, the reply as the widget shows it', async () => {
    const { page, log } = await consoleAs(EDITOR);
    await page.waitForSelector('.entries');
    await page.evaluate(() => (location.hash = '#tester'));
    await page.waitForSelector('#tester-text');
    await page.focus('#tester-text');
    await page.keyboard.type('how much does ketamine therapy cost?');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.runners-up tbody tr');
    const result = await page.evaluate(() => ({
      facts: Object.fromEntries(
        Array.from(document.querySelectorAll('.tester-result dl > div'), (d) => [
          d.querySelector('dt')?.textContent,
          d.querySelector('dd')?.textContent?.trim(),
        ]),
      ),
      runnersUp: Array.from(document.querySelectorAll('.runners-up tbody tr'), (tr) =>
        Array.from(tr.querySelectorAll('th, td'), (c) => c.textContent?.trim()),
      ),
    }));
    expect(result.facts).toMatchObject({
      'Risk level': 'None',
      Reasons: 'No safety rule matched.',
      Reply: 'Answered from an entry',
      'Matched entry': expect.stringMatching(/cost/i),
      Confidence: expect.stringMatching(/^0\.\d\d \(answers from 0\.\d\d\)$/),
      'Lead over the runner-up': expect.stringMatching(/^0\.\d\d \(needs 0\.\d\d\)$/),
    });
    expect(result.runnersUp.length).toBeGreaterThan(0);
    for (const [question, score, phrasing] of result.runnersUp) {
      expect(question).toMatch(/\?$/);
      expect(score).toMatch(/^[01]\.\d\d$/);
      expect(phrasing).toMatch(/^[01]\.\d\d$/);
    }
    // Ranked: the runners-up score below the match, best first.
    const scores = result.runnersUp.map((r) => Number(r[1]));
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(scores[0]).toBeLessThanOrEqual(Number(result.facts.Confidence!.slice(0, 4)));
    await page.waitForFunction(
      () => !!document.querySelector('.tester-result .widget-preview')?.shadowRoot?.querySelector('.kw-answer .kw-sources li'),
    );
    await axeClean(page, 'question tester');

    // A crisis message: the screen's level and reasons; the matcher does not run; nobody is paged.
    await retype(page, '#tester-text', 'I want to kill myself');
    await page.keyboard.press('Enter');
    await waitIn(page, () => /^Crisis/.test(document.querySelector('.risk')?.textContent ?? ''));
    expect(await textOf(page, '.reasons')).toMatch(/\w/);
    expect(await textOf(page, '.tester-result')).toMatch(/The matcher did not run/);
    await page.waitForFunction(
      () => !!document.querySelector('.tester-result .widget-preview')?.shadowRoot?.querySelector('.kw-crisis'),
    );

    // Trusted Types: the page's one policy is the preview's; any other HTML string is refused.
    expect(log.csp).toEqual([]);
    const probe = await page.evaluate(() => {
      const tt = (window as unknown as { trustedTypes: { createPolicy(n: string, r: object): unknown } }).trustedTypes;
      const attempt = (fn: () => unknown) => {
        try {
          fn();
          return 'allowed';
        } catch (err) {
          return (err as Error).name;
        }
      };
      return {
        innerHTML: attempt(() => (document.createElement('div').innerHTML = '<img src=x>')),
        secondPolicy: attempt(() => tt.createPolicy('another', { createHTML: (s: string) => s })),
        samePolicyAgain: attempt(() => tt.createPolicy('kap-preview', { createHTML: (s: string) => s })),
      };
    });
    expect(probe).toEqual({ innerHTML: 'TypeError', secondPolicy: 'TypeError', samePolicyAgain: 'TypeError' });
    expect(log.errors).toEqual([]);
  }, 60_000);

  it('triage: groups and counts unanswered questions, shows them as text, adds an alternate, starts a new entry, dismisses; analytics', async () => {
    // Visitors ask what the corpus does not answer (one of them hostile HTML).
    const hostile = '<img src=x onerror=alert(1)> where do I park my car';
    for (const text of [
      'can I bring my dog to the clinic?',
      'Can I bring my dog into the clinic?',
      hostile,
      'is there a waiting room for my partner',
    ]) {
      const socket = await connectVisitor(running.url);
      try {
        expect((await ask(socket, { text })).type).toBe('fallback');
      } finally {
        socket.close();
      }
    }

    const { page, log } = await consoleAs(EDITOR);
    await page.waitForSelector('.entries');
    await page.evaluate(() => (location.hash = '#triage'));
    await page.waitForSelector('.triage-item');
    const groups = await page.$$eval('#unanswered-title ~ .triage-list > li', (lis) =>
      lis.map((li) => ({ text: li.querySelector('h3')?.textContent, count: li.querySelector('.meta strong')?.textContent })),
    );
    expect(groups).toEqual(
      expect.arrayContaining([
        { text: expect.stringMatching(/^“can I bring my dog (to|into) the clinic\?”$/i), count: '2' },
        { text: `“${hostile}”`, count: '1' },
      ]),
    );
    // Visitor text stays text: no element came of it, nothing ran.
    expect(await page.$('.triage-screen img')).toBeNull();
    await axeClean(page, 'triage');

    // "Add as alternate of entry X": a draft of that entry with the question.
    const waiting = await itemWith(page, 'waiting room');
    await page.select(`#${waiting}-entry`, 'what-is-kap');
    await page.click(`xpath/.//*[@id="${waiting}"]/ancestor::li[1]//button[normalize-space()="Add as alternate"]`);
    await waitIn(page, () =>
      /Added “is there a waiting room for my partner” as another phrasing/.test(
        document.querySelector('.outcome-region')?.textContent ?? '',
      ),
    );
    const entry = (await staffApi(running.url, await tokenOf(EDITOR)).get('/entries/what-is-kap')).body;
    expect(entry).toMatchObject({
      status: 'draft',
      entry: { alternates: expect.arrayContaining(['is there a waiting room for my partner']) },
    });

    // Dismiss: it leaves the queue.
    const park = await itemWith(page, 'park my car');
    await page.click(`xpath/.//*[@id="${park}"]/ancestor::li[1]//button[normalize-space()="Dismiss"]`);
    await waitIn(page, () => /Dismissed 1 question/.test(document.querySelector('.outcome-region')?.textContent ?? ''));
    await waitIn(page, () => !document.querySelector('.triage-screen')?.textContent?.includes('park my car'));

    // "Start a new entry from this": the new-entry form, prefilled from the group's questions.
    const dog = await itemWith(page, 'dog');
    await page.click(`xpath/.//*[@id="${dog}"]/ancestor::li[1]//button[normalize-space()="Start a new entry from this"]`);
    await page.waitForSelector('#f-id');
    expect(await textOf(page, '#entry-title')).toBe('New entry');
    const prefilled = await page.evaluate(() => ({
      id: (document.getElementById('f-id') as HTMLInputElement).value,
      question: (document.getElementById('f-question') as HTMLInputElement).value,
      alternates: (document.getElementById('f-alternates') as HTMLTextAreaElement).value,
    }));
    expect(prefilled).toEqual({
      id: expect.stringMatching(/^can-i-bring-my-dog/),
      question: expect.stringMatching(/^Can I bring my dog (to|into) the clinic\?$/),
      alternates: expect.stringMatching(/bring my dog/i),
    });
    expect(await textOf(page, '.banner.info')).toMatch(/Started from 2 questions in triage/);

    // Analytics: the most asked entries and the risk levels per day; the yearly report is for admins.
    await page.evaluate(() => (location.hash = '#analytics'));
    await page.waitForSelector('#risk-days-title');
    await page.waitForSelector('#risk-days-title ~ .table-scroll tbody tr');
    expect(await page.$('#report-title')).toBeNull();
    await axeClean(page, 'analytics');
    expect(log.executed).toEqual([]);
    expect(log.csp).toEqual([]);
    expect(log.errors).toEqual([]);
  }, 60_000);

  it('keeps the editor screens from on-call staff who are not editors', async () => {
    const { page, log } = await consoleAs(NURSE);
    await page.waitForSelector('#queue-title');
    expect(await page.evaluate(() => Array.from(document.querySelectorAll('nav a'), (a) => a.textContent))).toEqual([
      'On-call queue',
    ]);
    for (const hash of ['#entries', '#entry=en/driving-after', '#new-entry=en', '#tester', '#triage', '#analytics']) {
      await page.evaluate((h) => (location.hash = h), hash);
      await waitIn(page, (h: string) => location.hash === h, 5000, hash);
      await page.waitForSelector('#queue-title');
      expect({
        hash,
        editor: await page.$$eval(
          '.entries-screen, .entry-screen, .tester-screen, .triage-screen, .analytics-screen',
          (e) => e.length,
        ),
      }).toEqual({ hash, editor: 0 });
    }
    expect(log.errors).toEqual([]);
  }, 30_000);

  /** The id of the triage item whose heading or question contains `text`. */
  async function itemWith(page: Page, text: string): Promise<string> {
    await waitIn(
      page,
      (t: string) => Array.from(document.querySelectorAll('.triage-item [id]')).some((el) => el.textContent?.includes(t)),
      5000,
      text,
    );
    return page.evaluate(
      (t) =>
        Array.from(document.querySelectorAll('.triage-item h3[id], .triage-item p[id]')).find((el) =>
          el.textContent?.includes(t),
        )!.id,
      text,
    );
  }

  const tokens = new Map<string, string>();
  async function tokenOf(email: string): Promise<string> {
    if (!tokens.has(email)) tokens.set(email, (await signIn(running.url, email)).body.token);
    return tokens.get(email)!;
  }
});
