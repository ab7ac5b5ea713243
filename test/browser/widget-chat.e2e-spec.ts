import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { parse } from 'yaml';
import { UI_STRINGS } from '../../client/widget/src/shared/strings.js';
import { ask as ask_, connectVisitor, startApp, type RunningApp } from '../support/app.js';
import {
  focusedInWidget,
  inWidget,
  launchBrowser,
  openPage,
  repoRoot,
  tabTo,
  waitForWidget,
  waitInWidget,
  type PageLog,
} from './support/browser.js';

/**
 * The widget on the demo page, in real headless Chromium, against the real server: asking, answers with
 * sources and evidence, related topics, the fallback, a crisis, "Talk to a person", resuming after a
 * reload, clearing, and what the widget keeps on the device.
 */

const CLINIC = {
  CLINIC_NAME: 'Example Clinic',
  CLINIC_PHONE: '555-0100',
  CLINIC_EMAIL: 'care@example.org',
  CLINIC_URL: 'https://example.org/',
  CLINIC_HOURS: 'Monday to Friday, 9 to 5',
};

describe('the chat widget on the demo page', () => {
  let running: RunningApp;
  let browser: Browser;
  const pages: Page[] = [];

  beforeAll(async () => {
    [running, browser] = await Promise.all([startApp(CLINIC), launchBrowser()]);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await running?.close();
  });
  afterEach(async () => {
    await Promise.all(pages.splice(0).map((p) => p.close().catch(() => undefined)));
  });

  async function demo(path = '/'): Promise<{ page: Page; log: PageLog }> {
    const opened = await openPage(browser);
    pages.push(opened.page);
    const response = await opened.page.goto(`${running.url}${path}`, { waitUntil: 'load' });
    expect([200, 304]).toContain(response?.status()); // 304: the browser revalidated its cached copy
    await waitForWidget(opened.page, '.kw-launcher', { visible: true });
    return opened;
  }

  async function openByClick(page: Page): Promise<void> {
    await page.click('kap-chat >>> .kw-launcher');
    await waitForWidget(page, '.kw-panel', { visible: true });
  }

  /** Types into the widget's textarea and presses Enter; waits for `count` bot messages in total. */
  async function ask(page: Page, text: string, count: number): Promise<void> {
    await page.click('kap-chat >>> #kw-input');
    await page.keyboard.type(text);
    await page.keyboard.press('Enter');
    await waitForBotMessages(page, count);
  }

  function waitForBotMessages(page: Page, count: number, timeout = 10_000): Promise<void> {
    return waitInWidget(
      page,
      (root, n) => root.querySelectorAll('.kw-bot:not(.kw-contact), .kw-crisis').length >= n,
      timeout,
      count,
    );
  }

  /** A question the server answers with a fallback that has suggestions. */
  async function vagueQuestion(): Promise<string> {
    const socket = await connectVisitor(running.url);
    try {
      for (const text of [
        'tell me about risks',
        'session',
        'ketamine and me',
        'what about the brain',
        'treatment questions',
        'does it last',
      ]) {
        const reply = await ask_(socket, { text });
        if (reply.type === 'fallback' && reply.suggestions.length > 0) return text;
      }
    } finally {
      socket.close();
    }
    throw new Error('none of the vague questions gets a fallback with suggestions any more: add one');
  }

  function noProblems(log: PageLog): void {
    expect(log.csp).toEqual([]);
    expect(log.errors).toEqual([]);
    expect(log.executed).toEqual([]);
  }

  it('opens by keyboard, answers with sources and evidence, and follows a related topic', async () => {
    const { page, log } = await demo();
    await tabTo(page, '.kw-launcher');
    expect(await inWidget(page, (root) => root.querySelector('.kw-launcher')!.getAttribute('aria-expanded'))).toBe('false');
    await page.keyboard.press('Enter');
    await waitForWidget(page, '.kw-panel', { visible: true });
    expect(await focusedInWidget(page)).toMatch(/^textarea/);
    expect(await inWidget(page, (root) => root.querySelector('.kw-launcher')!.getAttribute('aria-expanded'))).toBe('true');

    await page.keyboard.type('What are the side effects of ketamine?');
    await page.keyboard.press('Enter');
    await waitForBotMessages(page, 1);

    const answer = await inWidget(page, (root) => {
      const a = root.querySelector('.kw-answer')!;
      return {
        visitor: Array.from(root.querySelectorAll('.kw-visitor .kw-text')).map((e) => e.textContent),
        question: a.querySelector('.kw-q')?.textContent,
        body: a.querySelector('.kw-body')?.textContent?.trim().length ?? 0,
        sources: Array.from(a.querySelectorAll('.kw-sources a')).map((l) => ({
          href: l.getAttribute('href'),
          target: l.getAttribute('target'),
          rel: l.getAttribute('rel'),
        })),
        evidence: a.querySelector('.kw-ev')?.textContent,
        caveat: a.querySelector('.kw-caveat')?.textContent,
        related: Array.from(a.querySelectorAll('.kw-related button')).map((b) => b.textContent),
        feedback: Array.from(a.querySelectorAll('.kw-feedback button')).map((b) => b.getAttribute('aria-pressed')),
      };
    });
    expect(answer.visitor).toEqual(['What are the side effects of ketamine?']);
    expect(answer.question).toMatch(/side effects/i);
    expect(answer.body).toBeGreaterThan(50);
    expect(answer.sources.length).toBeGreaterThan(0);
    for (const source of answer.sources)
      expect(source).toEqual({ href: expect.stringMatching(/^https:\/\//), target: '_blank', rel: 'noopener noreferrer' });
    expect(answer.evidence).toMatch(/evidence|opinion/i);
    expect(answer.caveat!.length).toBeGreaterThan(20);
    expect(answer.related.length).toBeGreaterThan(0);
    expect(answer.feedback).toEqual(['false', 'false']);

    // Short answer first; the full answer is one real button away, by keyboard too.
    const collapsed = await inWidget(page, (root) => {
      const a = root.querySelector('.kw-answer')!;
      const button = a.querySelector('button.kw-more')!;
      const region = a.querySelector(`#${button.getAttribute('aria-controls')}`) as HTMLElement | null;
      return {
        summary: (a.querySelector('.kap-summary')?.textContent ?? '').length,
        label: button.textContent,
        expanded: button.getAttribute('aria-expanded'),
        regionHidden: region?.hidden,
        regionText: region?.textContent?.trim().length ?? 0,
      };
    });
    expect(collapsed).toEqual({
      summary: expect.any(Number),
      label: UI_STRINGS.en.readMore,
      expanded: 'false',
      regionHidden: true,
      regionText: expect.any(Number),
    });
    expect(collapsed.summary).toBeGreaterThan(30);
    expect(collapsed.regionText).toBeGreaterThan(collapsed.summary);
    await page.focus('kap-chat >>> .kw-answer button.kw-more');
    await page.keyboard.press('Enter');
    const expanded = await inWidget(page, (root) => {
      const button = root.querySelector('.kw-answer button.kw-more')!;
      return {
        label: button.textContent,
        expanded: button.getAttribute('aria-expanded'),
        regionHidden: (root.querySelector(`#${button.getAttribute('aria-controls')}`) as HTMLElement).hidden,
      };
    });
    expect(expanded).toEqual({ label: UI_STRINGS.en.readLess, expanded: 'true', regionHidden: false });

    // The related topic asks its question; the server answers it with that entry.
    const topic = answer.related[0]!;
    await page.click('kap-chat >>> .kw-answer .kw-related button');
    await waitForBotMessages(page, 2);
    const second = await inWidget(page, (root) => ({
      visitor: Array.from(root.querySelectorAll('.kw-visitor .kw-text')).map((e) => e.textContent),
      question: Array.from(root.querySelectorAll('.kw-answer .kw-q')).map((e) => e.textContent),
    }));
    expect(second.visitor).toEqual(['What are the side effects of ketamine?', topic]);
    expect(second.question[1]).toBe(topic);
    noProblems(log);
  });

  it('puts only the newest bot message in the one polite announcer', async () => {
    const { page } = await demo();
    await openByClick(page);
    await ask(page, 'What is KAP?', 1);
    await ask(page, 'How much does it cost?', 2);
    await waitInWidget(page, (root) => (root.querySelector('.kw-announcer')?.textContent ?? '').length > 0);
    const state = await inWidget(page, (root) => {
      const norm = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();
      const bots = root.querySelectorAll('.kw-bot');
      const live = Array.from(root.querySelectorAll('[aria-live], [role="status"], [role="log"], [role="alert"]')).map((e) => ({
        role: e.getAttribute('role'),
        live: e.getAttribute('aria-live'),
      }));
      return {
        announcer: norm(root.querySelector('.kw-announcer')!.textContent),
        // What is shown: the short answer (the full one waits behind "Read more").
        newest: norm(bots[bots.length - 1].querySelector('.kw-body .kap-summary')!.textContent),
        older: norm(bots[0].querySelector('.kw-body .kap-summary')!.textContent),
        visitor: norm(root.querySelector('.kw-visitor .kw-text')!.textContent),
        live,
      };
    });
    expect(state.announcer).toContain(state.newest);
    expect(state.announcer).not.toContain(state.older.slice(0, 80));
    expect(state.announcer).not.toContain(state.visitor);
    // One polite live region (the announcer), the log itself silent, one assertive alert for a crisis.
    const polite = state.live.filter(
      (l) => l.live === 'polite' || ((l.role === 'log' || l.role === 'status') && l.live !== 'off'),
    );
    expect(polite).toEqual([{ role: null, live: 'polite' }]);
    expect(state.live.filter((l) => l.role === 'alert')).toHaveLength(1);
    expect(state.live).toContainEqual({ role: 'log', live: 'off' });
  });

  it('sends "Was this helpful?" to the server and shows that it was received', async () => {
    const { page, log } = await demo();
    await openByClick(page);
    await ask(page, 'How fast does ketamine work?', 1);
    await page.click('kap-chat >>> .kw-answer .kw-fb[data-helpful="true"]');
    await waitInWidget(
      page,
      (root) => root.querySelector('.kw-fb[data-helpful="true"]')?.getAttribute('aria-pressed') === 'true',
    );
    const feedback = await inWidget(page, (root) => ({
      no: root.querySelector('.kw-fb[data-helpful="false"]')!.getAttribute('aria-pressed'),
      note: root.querySelector('.kw-fb-note')!.textContent,
    }));
    expect(feedback).toEqual({ no: 'false', note: 'Thank you for your feedback.' });
    noProblems(log);
  });

  it('draws the feedback icons as SVG, not emoji (which show as empty boxes without an emoji font), named by their words', async () => {
    const { page } = await demo();
    await openByClick(page);
    await ask(page, 'How fast does ketamine work?', 1);
    const buttons = await inWidget(page, (root) =>
      Array.from(root.querySelectorAll('.kw-answer .kw-fb')).map((b) => {
        const svg = b.querySelector('svg');
        const box = svg?.getBoundingClientRect();
        return {
          emoji: /\p{Extended_Pictographic}/u.test(b.textContent ?? ''),
          svg: svg
            ? {
                hidden: svg.getAttribute('aria-hidden'),
                drawn: !!box && box.width >= 12 && box.height >= 12 && !!svg.querySelector('path'),
              }
            : null,
        };
      }),
    );
    expect(buttons).toEqual([
      { emoji: false, svg: { hidden: 'true', drawn: true } },
      { emoji: false, svg: { hidden: 'true', drawn: true } },
    ]);
    // The accessible names are the words.
    const names: string[] = [];
    for (const helpful of ['true', 'false']) {
      const handle = await page.$(`kap-chat >>> .kw-answer .kw-fb[data-helpful="${helpful}"]`);
      names.push((await page.accessibility.snapshot({ root: handle!, interestingOnly: false }))?.name ?? '');
      await handle!.dispose();
    }
    expect(names).toEqual(['Yes', 'No']);
  });

  it('falls back on an off-topic question and offers its suggestions as buttons', async () => {
    const { page, log } = await demo();
    await openByClick(page);
    await ask(page, 'How do I bake sourdough bread?', 1);
    const fallback = await inWidget(page, (root) => ({
      text: root.querySelector('.kw-fallback .kw-body')?.textContent ?? '',
      answers: root.querySelectorAll('.kw-answer').length,
    }));
    expect(fallback.text).toContain('reviewed answer');
    expect(fallback.text).toContain('Example Clinic');
    expect(fallback.answers).toBe(0);

    // A vague question gets "Did you mean" suggestions; each is a button that asks it. Which vague question
    // does depends on the corpus, so the test picks one the server really answers that way.
    const vague = await vagueQuestion();
    await ask(page, vague, 2);
    const topics = await inWidget(page, (root) =>
      Array.from(Array.from(root.querySelectorAll('.kw-fallback')).pop()!.querySelectorAll('.kw-related button')).map(
        (b) => b.textContent,
      ),
    );
    expect(topics.length).toBeGreaterThan(0);
    await inWidget(page, (root) =>
      (Array.from(root.querySelectorAll('.kw-fallback')).pop()!.querySelector('.kw-related button') as HTMLElement).click(),
    );
    await waitForBotMessages(page, 3);
    expect(await inWidget(page, (root) => Array.from(root.querySelectorAll('.kw-answer .kw-q')).pop()?.textContent)).toBe(
      topics[0],
    );
    noProblems(log);
  });

  it('shows a crisis prominently with one-tap resources, announces it, and keeps a banner for the rest of the conversation', async () => {
    const { page, log } = await demo();
    await openByClick(page);
    expect(await inWidget(page, (root) => (root.querySelector('.kw-banner') as HTMLElement).hidden)).toBe(true);
    await ask(page, "I've been thinking about ending my life", 1);

    const crisis = await inWidget(page, (root) => {
      const section = root.querySelector('.kw-crisis') as HTMLElement;
      const style = getComputedStyle(section);
      return {
        isBubble: section.classList.contains('kw-bot') || !!section.closest('.kw-bubble'),
        heading: section.querySelector('h3')?.textContent,
        text: section.textContent ?? '',
        links: Array.from(section.querySelectorAll('a.kw-res')).map((a) => a.getAttribute('href')),
        border: style.borderLeftColor,
        background: style.backgroundColor,
        animation: style.animationName,
        followUp: section.querySelector('.kw-followup') !== null,
      };
    });
    expect(crisis.isBubble).toBe(false);
    // No one on the care team is alerted here (no paging, no console open): no invitation, no contact form.
    expect(crisis.followUp).toBe(false);
    expect(crisis.heading).toBeTruthy();
    expect(crisis.text).toContain('Are you safe right now?');
    expect(crisis.links).toEqual(expect.arrayContaining(['tel:988', 'sms:988', 'sms:741741?&body=HOME', 'tel:5550100']));
    // Calm: no alarm red, nothing flashing.
    for (const color of [crisis.border, crisis.background]) {
      const [r, g, b] = color.match(/\d+/g)!.map(Number);
      expect(r > 150 && g < 100 && b < 100).toBe(false);
    }
    expect(crisis.animation).toBe('none');

    // Announced once, assertively; the polite announcer stays quiet.
    await waitInWidget(page, (root) => (root.querySelector('[role="alert"]')?.textContent ?? '').includes('988'));
    expect(await inWidget(page, (root) => root.querySelector('.kw-announcer')!.textContent)).toBe('');

    const bannerLinks = () =>
      inWidget(page, (root) => {
        const banner = root.querySelector('.kw-banner') as HTMLElement;
        return banner.hidden ? [] : Array.from(banner.querySelectorAll('a')).map((a) => a.getAttribute('href'));
      });
    expect(await bannerLinks()).toEqual(expect.arrayContaining(['tel:988', 'sms:988']));

    await ask(page, 'How much does KAP cost?', 2);
    expect(await inWidget(page, (root) => root.querySelectorAll('.kw-answer').length)).toBe(1);
    expect(await bannerLinks()).toEqual(expect.arrayContaining(['tel:988', 'sms:988']));
    noProblems(log);
  });

  it('"Talk to a person" shows the clinic\'s contact details from the configuration', async () => {
    const { page, log } = await demo();
    await openByClick(page);
    // Offered once the configuration has arrived with contact details.
    await waitForWidget(page, '.kw-contact-btn', { visible: true });
    await page.click('kap-chat >>> .kw-contact-btn');
    await waitForWidget(page, '.kw-contact');
    const contact = await inWidget(page, (root) => {
      const card = root.querySelector('.kw-contact')!;
      return { text: card.textContent ?? '', links: Array.from(card.querySelectorAll('a')).map((a) => a.getAttribute('href')) };
    });
    expect(contact.text).toContain('Example Clinic');
    expect(contact.text).toContain('Monday to Friday, 9 to 5');
    expect(contact.links).toEqual(['tel:5550100', 'mailto:care@example.org', 'https://example.org/']);
    noProblems(log);
  });

  it('resumes the conversation after a reload, crisis banner included, and stores nothing but its id', async () => {
    const { page, log } = await demo();
    await openByClick(page);
    await ask(page, 'What is KAP?', 1);
    await ask(page, 'I want to kill myself', 2);
    const before = await inWidget(page, (root) => ({
      visitor: Array.from(root.querySelectorAll('.kw-visitor .kw-text')).map((e) => e.textContent),
      question: root.querySelector('.kw-answer .kw-q')?.textContent,
    }));

    await page.reload({ waitUntil: 'load' });
    await waitForWidget(page, '.kw-launcher', { visible: true });
    await openByClick(page);
    await waitForBotMessages(page, 2);
    const after = await inWidget(page, (root) => ({
      visitor: Array.from(root.querySelectorAll('.kw-visitor .kw-text')).map((e) => e.textContent),
      question: root.querySelector('.kw-answer .kw-q')?.textContent,
      crisis: root.querySelectorAll('.kw-crisis').length,
      banner: !(root.querySelector('.kw-banner') as HTMLElement).hidden,
      sources: root.querySelectorAll('.kw-answer .kw-sources a').length,
      starters: !(root.querySelector('.kw-starters') as HTMLElement).hidden,
    }));
    expect(after).toEqual({ ...before, crisis: 1, banner: true, sources: expect.any(Number), starters: false });
    expect(after.sources).toBeGreaterThan(0);

    // The conversation continues under the same id.
    await ask(page, 'Is ketamine addictive?', 3);
    const storage = await page.evaluate(() => ({
      session: Object.keys(sessionStorage),
      local: Object.keys(localStorage),
      cookie: document.cookie,
    }));
    expect(storage).toEqual({ session: ['kapchat.conversation'], local: [], cookie: '' });
    expect(await page.cookies()).toEqual([]);
    // No third-party requests: everything went to the bot's own origin.
    const origins = new Set(log.requests.map((u) => new URL(u).origin));
    expect([...origins]).toEqual([running.url]);
    noProblems(log);
  });

  it('continues the conversation in a tab opened from the page', async () => {
    const { page } = await demo();
    await openByClick(page);
    await ask(page, 'What is KAP?', 1);
    // A tab opened from this one starts with a copy of its sessionStorage, conversation id included.
    const opened = new Promise<Page>((resolve) =>
      browser.once('targetcreated', async (target) => resolve((await target.page()) as Page)),
    );
    await page.evaluate(() => void window.open(location.href, '_blank'));
    const tab = await opened;
    pages.push(tab);
    await tab.waitForFunction(() => document.readyState === 'complete');
    await waitForWidget(tab, '.kw-launcher', { visible: true });
    await openByClick(tab);
    await waitForBotMessages(tab, 1);
    expect(await inWidget(tab, (root) => root.querySelector('.kw-visitor .kw-text')?.textContent)).toBe('What is KAP?');
    await ask(tab, 'Is it safe?', 2);
    expect(await tab.evaluate(() => sessionStorage.getItem('kapchat.conversation'))).toBe(
      await page.evaluate(() => sessionStorage.getItem('kapchat.conversation')),
    );
  });

  it('clears the conversation on this device and on the server', async () => {
    const { page, log } = await demo();
    await openByClick(page);
    await ask(page, 'What is KAP?', 1);
    const access = JSON.parse((await page.evaluate(() => sessionStorage.getItem('kapchat.conversation')))!) as {
      id: string;
      token: string;
    };
    expect(access.id).toMatch(/\S{8,}/);

    await page.click('kap-chat >>> .kw-clear-btn');
    await waitForWidget(page, '.kw-confirm', { visible: true });
    await page.click('kap-chat >>> .kw-confirm-yes');
    await waitInWidget(page, (root) => root.querySelectorAll('.kw-msg').length === 0 && !!root.querySelector('.kw-notice'));
    expect(await page.evaluate(() => sessionStorage.getItem('kapchat.conversation'))).toBeNull();
    expect(await inWidget(page, (root) => !(root.querySelector('.kw-starters') as HTMLElement).hidden)).toBe(true);

    const socket = await connectVisitor(running.url);
    try {
      const resumed = await socket.timeout(15000).emitWithAck('resume', { conversationId: access.id, resumeToken: access.token });
      expect(resumed).toEqual({ error: { code: 'unknown_conversation', message: expect.any(String) } });
    } finally {
      socket.close();
    }

    // After a reload nothing comes back. A new question proves the widget had its chance: messages go out
    // only after any resume has finished, so an old conversation would be in the log before this reply.
    await page.reload({ waitUntil: 'load' });
    await openByClick(page);
    await ask(page, 'Is ketamine addictive?', 1);
    expect(
      await inWidget(page, (root) => ({
        visitor: Array.from(root.querySelectorAll('.kw-visitor .kw-text')).map((e) => e.textContent),
        messages: root.querySelectorAll('.kw-msg').length,
      })),
    ).toEqual({ visitor: ['Is ketamine addictive?'], messages: 2 });
    noProblems(log);
  });

  it('speaks Spanish on the Spanish page: Spanish answers with their sources, the Spanish fallback', async () => {
    const es = UI_STRINGS.es;
    const replies = parse(readFileSync(path.join(repoRoot, 'knowledge/replies/es.yaml'), 'utf8')) as {
      fallback: { text: string; contact: string };
      disclaimer: string;
    };
    const norm = (s: string) => s.replace(/\s+/g, ' ').trim();
    const { page, log } = await demo('/es.html');
    expect(await inWidget(page, (root) => root.querySelector('.kw-launcher-label')!.textContent)).toBe('¿Preguntas?');
    await openByClick(page);
    // The Spanish interface strings, exactly.
    expect(
      await inWidget(page, (root) => ({
        lang: root.querySelector('.kw-root')!.getAttribute('lang'),
        title: root.querySelector('#kw-title')!.textContent,
        label: root.querySelector('label[for="kw-input"]')!.textContent,
        placeholder: root.querySelector('textarea')!.getAttribute('placeholder'),
        send: root.querySelector('.kw-send')!.textContent,
        close: root.querySelector('.kw-close')!.getAttribute('aria-label'),
        starters: Array.from(root.querySelectorAll('.kw-starters button')).map((b) => b.textContent),
        disclaimer: root.querySelector('.kw-disclaimer')!.textContent,
      })),
    ).toEqual({
      lang: 'es',
      title: es.title,
      label: 'Su pregunta',
      placeholder: es.placeholder,
      send: 'Enviar',
      close: es.close,
      starters: es.starters,
      disclaimer: es.disclaimer,
    });

    // A Spanish starter question gets the Spanish answer: its short answer first, "Leer más", its sources
    // and the Spanish evidence caption and disclaimer.
    const esEntry = readFileSync(path.join(repoRoot, 'knowledge/es/what-is-kap.md'), 'utf8');
    const esQuestion = /^question: (.*)$/m.exec(esEntry)![1];
    await ask(page, es.starters[0], 1);
    const answer = await inWidget(page, (root) => {
      const a = root.querySelector('.kw-answer');
      return {
        question: a?.querySelector('.kw-q')?.textContent,
        summary: a?.querySelector('.kap-summary')?.textContent ?? '',
        more: a?.querySelector('.kw-more')?.textContent,
        sourcesHeading: a?.querySelector('.kw-sources h4')?.textContent,
        sources: a?.querySelectorAll('.kw-sources a[href^="https://"]').length ?? 0,
        evidence: a?.querySelector('.kw-ev')?.textContent,
        disclaimer: root.querySelector('.kw-disclaimer')!.textContent ?? '',
      };
    });
    expect(answer.question).toBe(esQuestion.replace(/^"|"$/g, ''));
    expect(answer.summary.length).toBeGreaterThan(30);
    expect(answer.more).toBe(es.readMore);
    expect(answer.sourcesHeading).toBe(es.sources);
    expect(answer.sources).toBeGreaterThan(0);
    expect(answer.evidence).toMatch(/evidencia|opinión/i);
    expect(norm(answer.disclaimer)).toBe(norm(replies.disclaimer));

    // A question the corpus cannot answer gets the Spanish fallback (knowledge/replies/es.yaml).
    await ask(page, '¿Cuál es la capital de Francia?', 2);
    const reply = await inWidget(page, (root) => ({
      paragraphs: Array.from(root.querySelectorAll('.kw-fallback .kw-body p')).map((p) => p.textContent ?? ''),
      who: root.querySelector('.kw-fallback .kw-who')?.textContent,
      disclaimer: root.querySelector('.kw-disclaimer')!.textContent ?? '',
    }));
    expect(reply.who).toBe(es.assistant);
    expect(reply.paragraphs.map(norm).slice(0, 2)).toEqual([
      norm(replies.fallback.text),
      norm(replies.fallback.contact.replace('{clinicName}', CLINIC.CLINIC_NAME)),
    ]);
    expect(norm(reply.disclaimer)).toBe(norm(replies.disclaimer));
    noProblems(log);
  });
});
