import type { Socket } from 'socket.io-client';
import { EscalationService } from '../src/escalation/escalation.service.js';
import { ask, connectVisitor, startApp, type RunningApp } from './support/app.js';
import { addStaff, connectConsole, until } from './support/staff.js';
import { freePort, WebhookReceiver } from './support/webhook.js';

const SECRET = 'a-test-secret-of-16+chars';

/**
 * Hardening item 16: a page that keeps failing is retried with every failure logged, then marked
 * "paging failed" after PAGING_GIVE_UP_HOURS; the flag shows it, /health shows failing paging, and the
 * crisis reply does not say "the care team has been alerted" while paging fails and no console is open.
 */
describe('paging that fails (real app)', () => {
  let pager: WebhookReceiver;
  let running: RunningApp;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    pager = new WebhookReceiver(await freePort());
    pager.status = 503;
    await pager.start();
    running = await startApp({
      PAGING_WEBHOOK_URL: pager.url,
      PAGING_WEBHOOK_SECRET: SECRET,
      OUTBOX_POLL_MS: '100',
      WEBHOOK_RETRY_BASE_MS: '100',
      WEBHOOK_RETRY_MAX_MS: '200',
      PAGING_GIVE_UP_HOURS: '0.0005', // 1.8 seconds
    });
    await addStaff(running, 'oncall@example.org', 'oncall');
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await running.close();
    await pager.stop();
  });

  it('marks the page failed, shows it on the flag and in /health, and stops saying the team was alerted', async () => {
    const visitor = await connectVisitor(running.url);
    sockets.push(visitor);
    const first = await ask(visitor, { text: 'I want to kill myself' });
    // Paging was configured and not yet known to fail: the reply says the team was alerted.
    expect(first.html).toMatch(/alerted/);
    const escalation = running.app.get(EscalationService);
    const flagId = (await escalation.openFlagId(first.conversationId))!;
    await until(async () => (await escalation.view(flagId)).paging === 'failed', 10_000, 'paging marked failed');
    expect(pager.received.length).toBeGreaterThan(1);
    const health = await (await fetch(`${running.url}/health`)).json();
    expect(health).toMatchObject({ status: 'degraded', paging: { configured: true, failing: true, failed: 1 } });

    // Paging is known to fail and no console is open: no promise that anyone was alerted.
    const other = await connectVisitor(running.url);
    sockets.push(other);
    const second = await ask(other, { text: 'I want to end my life' });
    expect(second.type).toBe('crisis');
    expect(second.html).not.toMatch(/alerted/);
    expect(second.contactInvited).toBe(false);

    // An on-call console is open: someone sees the flag now, and the queue lists the failed page first.
    const consoleSocket = await connectConsole(running.url, 'oncall@example.org');
    sockets.push(consoleSocket);
    const third = await ask(await connectVisitor(running.url), { text: 'I am going to kill myself' });
    expect(third.html).toMatch(/alerted/);
    const { flags } = await consoleSocket.emitWithAck('flags:list');
    expect(flags.find((f: { id: string }) => f.id === flagId)).toMatchObject({ paging: 'failed' });
  }, 30_000);
});
