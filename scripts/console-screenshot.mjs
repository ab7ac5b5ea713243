// Dev helper: takes the README's screenshots of the staff console in headless Chromium, with a few
// made-up flags (one whose paging failed). Run `npm run build` first, then:
//   node scripts/console-screenshot.mjs            writes docs/console-queue.png, docs/console-flag.png and
//                                                  docs/console-editor.png
/* global URL, setTimeout, window, document, location -- Node globals, and the page's in the functions run in the browser */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import chromium from '@sparticuz/chromium';
import puppeteer from 'puppeteer-core';
import { io } from 'socket.io-client';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const dataDir = mkdtempSync(path.join(tmpdir(), 'kap-shot-'));
let pagerStatus = 503;
const pager = createServer((req, res) => req.resume().on('end', () => res.writeHead(pagerStatus).end()));
await new Promise((resolve) => pager.listen(0, '127.0.0.1', resolve));
Object.assign(process.env, {
  DATA_DIR: dataDir,
  CLINIC_NAME: 'Example Clinic',
  PAGING_WEBHOOK_URL: `http://127.0.0.1:${pager.address().port}/hook`,
  PAGING_WEBHOOK_SECRET: 'a-screenshot-secret-0123',
  OUTBOX_POLL_MS: '100',
  WEBHOOK_RETRY_BASE_MS: '100',
  WEBHOOK_RETRY_MAX_MS: '200',
  PAGING_GIVE_UP_HOURS: '0.0003',
  TRUST_PROXY: 'loopback',
});
const { createApp } = await import('../dist/bootstrap.js');
const { StaffService } = await import('../dist/staff/staff.service.js');
const app = await createApp({ logger: false });
await app.listen(0, '127.0.0.1');
const url = `http://127.0.0.1:${app.getHttpServer().address().port}`;
const staff = app.get(StaffService);
const password = 'a long screenshot password';
await staff.add('sam.rivera@clinic.example', 'oncall', password);
const colleague = await staff.add('alex.kim@clinic.example', 'oncall', password);
await staff.add('dana.lee@clinic.example', 'admin', password);

const { EscalationService } = await import('../dist/escalation/escalation.service.js');
const escalation = app.get(EscalationService);
/** Polls a condition (a few milliseconds apart) until it holds. */
async function until(check) {
  for (let i = 0; i < 400 && !(await check()); i++) await new Promise((r) => setTimeout(r, 25));
}
async function visitor(address, texts, locale = 'en') {
  const socket = io(`${url}/chat`, { transports: ['websocket'], extraHeaders: { 'x-forwarded-for': address } });
  let access = {};
  for (const text of texts) {
    const reply = await socket.timeout(5000).emitWithAck('message', { text, locale, ...access });
    access = { conversationId: reply.conversationId, resumeToken: reply.resumeToken };
  }
  const flagId = await escalation.openFlagId(access.conversationId);
  return { socket, access, flagId };
}
const paging = async (v, state) => until(async () => (await escalation.view(v.flagId)).paging === state);

// A flag whose page fails for good, then three that are paged.
const failed = await visitor('198.51.100.1', ['Is ketamine therapy safe?', 'I feel like a burden to everyone and want to die']);
await paging(failed, 'failed');
pagerStatus = 200;
const acknowledged = await visitor('198.51.100.2', ["I've been thinking about ending my life"]);
const thirdParty = await visitor('198.51.100.3', ['My brother said he wants to kill himself']);
const imminent = await visitor('198.51.100.4', ['Me voy a tomar todas las pastillas esta noche'], 'es');
for (const v of [acknowledged, thirdParty, imminent]) await paging(v, 'delivered');
await escalation.acknowledge(acknowledged.flagId, colleague.id);

const browser = await puppeteer.launch({
  executablePath: await chromium.executablePath(),
  args: [...chromium.args.filter((f) => !['--single-process', '--no-zygote'].includes(f)), '--no-sandbox'],
  headless: true,
  defaultViewport: { width: 1280, height: 860 },
});
try {
  const page = await browser.newPage();
  // The headless shell has no notifications: show the console as a new person sees it in a browser that has them.
  await page.evaluateOnNewDocument(() => {
    window.Notification = class {
      static permission = 'default';
      static requestPermission = async () => 'default';
    };
  });
  await page.goto(`${url}/console`, { waitUntil: 'load' });
  await page.waitForSelector('#email');
  await page.type('#email', 'sam.rivera@clinic.example');
  await page.type('#password', password);
  await page.keyboard.press('Enter');
  await page.waitForSelector('.queue .flag');
  await page.waitForFunction(
    () => document.querySelectorAll('.queue .flag').length === 4 && !!document.querySelector('.paging-failed'),
  );
  await page.waitForFunction(() => document.querySelectorAll('.paging-delivered').length === 3);
  await page.screenshot({ path: path.join(root, 'docs/console-queue.png') });

  await page.evaluate((id) => (location.hash = `#flag=${id}`), imminent.flagId);
  await page.waitForSelector('.transcript .turn-visitor');
  await page.click('xpath/.//button[normalize-space()="Join the conversation"]');
  await page.waitForSelector('#reply');
  await page.keyboard.type('Hola, soy Sam del equipo de la clínica. ¿Estás a salvo ahora mismo?');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.turn-staff');
  await imminent.socket
    .timeout(5000)
    .emitWithAck('message', { text: 'No sé. Estoy sola en casa.', locale: 'es', ...imminent.access });
  await page.waitForFunction(() => document.querySelector('.transcript .turn:last-child')?.textContent?.includes('sola en casa'));
  await page.screenshot({ path: path.join(root, 'docs/console-flag.png') });

  // The editor: an admin edits an answer, saves the draft and previews it, with the publish panel beside it.
  const editor = await (await browser.createBrowserContext()).newPage();
  await editor.setViewport({ width: 1280, height: 1000 });
  await editor.goto(`${url}/console#entry=en/driving-after`, { waitUntil: 'load' });
  await editor.waitForSelector('#email');
  await editor.type('#email', 'dana.lee@clinic.example');
  await editor.type('#password', password);
  await editor.keyboard.press('Enter');
  await editor.waitForSelector('#f-summary');
  await editor.click('#f-summary', { clickCount: 3 });
  await editor.keyboard.down('Control');
  await editor.keyboard.press('KeyA');
  await editor.keyboard.up('Control');
  await editor.keyboard.type(
    "Don't drive on the day of treatment: arrange a ride home before you come in. Spravato's label says no driving until the next day, after a restful sleep.",
  );
  await editor.type('#f-note', 'ride home first');
  await editor.click('xpath/.//button[normalize-space()="Save draft"]');
  await editor.waitForFunction(() => /^Draft saved/.test(document.querySelector('.entry-form .status-line')?.textContent ?? ''));
  await editor.waitForFunction(() => /waits to be published/.test(document.querySelector('.publish')?.textContent ?? ''));
  await editor.click('xpath/.//button[normalize-space()="Preview"]');
  await editor.waitForFunction(() => !!document.querySelector('.widget-preview')?.shadowRoot?.querySelector('.kw-answer'));
  await editor.evaluate(() => {
    document.activeElement?.blur();
    window.scrollTo(0, 0);
  });
  await editor.screenshot({ path: path.join(root, 'docs/console-editor.png') });
  process.stdout.write('wrote docs/console-queue.png, docs/console-flag.png and docs/console-editor.png\n');
} finally {
  await browser.close();
  for (const v of [failed, acknowledged, thirdParty, imminent]) v.socket.close();
  await app.close();
  pager.close();
  rmSync(dataDir, { recursive: true, force: true });
}
