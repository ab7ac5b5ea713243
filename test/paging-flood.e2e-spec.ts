import type { Socket } from 'socket.io-client';
import { EscalationService } from '../src/escalation/escalation.service.js';
import { OutboxRepository } from '../src/escalation/outbox.repository.js';
import { ask, connectVisitor, startApp, type RunningApp } from './support/app.js';
import { until } from './support/staff.js';
import { freePort, WebhookReceiver } from './support/webhook.js';

const SECRET = 'a-test-secret-of-16+chars';

/**
 * Hardening item 11: a burst of crisis flags from one address gets every visitor the crisis reply and a
 * stored flag, but is paged as one page listing every flag id; a real flag from another address is
 * paged at once, never behind the flood. Addresses come from X-Forwarded-For, trusted from loopback only.
 */
describe('paging under a flood of flags (real app)', () => {
  let pager: WebhookReceiver;
  let running: RunningApp;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    pager = new WebhookReceiver(await freePort());
    await pager.start();
    running = await startApp({
      PAGING_WEBHOOK_URL: pager.url,
      PAGING_WEBHOOK_SECRET: SECRET,
      OUTBOX_POLL_MS: '200',
      PAGING_FOLD_SECONDS: '2',
      TRUST_PROXY: 'loopback',
      NEW_CONVERSATIONS_PER_HOUR: '1000',
    });
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await running.close();
    await pager.stop();
  });

  const visitorFrom = async (address: string) => {
    const socket = await connectVisitor(running.url, { extraHeaders: { 'x-forwarded-for': address } });
    sockets.push(socket);
    return socket;
  };

  it('answers and stores every flag of a burst, pages it as one, and pages a real flag from elsewhere on its own', async () => {
    const flood = await Promise.all(Array.from({ length: 40 }, () => visitorFrom('203.0.113.66')));
    const replies = await Promise.all(flood.map((s) => ask(s, { text: 'I want to kill myself' })));
    expect(replies.every((r) => r.type === 'crisis')).toBe(true);
    const escalation = running.app.get(EscalationService);
    const floodIds = (await escalation.unresolved())
      .filter((f) => replies.some((r) => r.conversationId === f.conversationId))
      .map((f) => f.id);
    expect(floodIds).toHaveLength(40);

    const real = await ask(await visitorFrom('198.51.100.7'), { text: 'I have a plan to end my life tonight' });
    expect(real.type).toBe('crisis');
    const realFlagId = (await escalation.openFlagId(real.conversationId))!;
    const realPage = await pager.waitFor((h) => JSON.parse(h.body).flagIds.includes(realFlagId), 5000);
    expect(JSON.parse(realPage.body).flagIds).toEqual([realFlagId]);

    // Every flood flag is listed in a page: the first alone, the rest folded into one page after the
    // fold window, which says it may be a flood.
    await until(
      () => {
        const listed = new Set(pager.received.flatMap((h) => JSON.parse(h.body).flagIds as string[]));
        return floodIds.every((id) => listed.has(id));
      },
      10_000,
      'every flood flag paged',
    );
    const floodPages = pager.received.filter((h) => (JSON.parse(h.body).flagIds as string[]).some((id) => floodIds.includes(id)));
    expect(floodPages.length).toBeLessThanOrEqual(2);
    expect(JSON.parse(floodPages.at(-1)!.body)).toMatchObject({ possibleFlood: true, summary: expect.stringMatching(/flood/) });
    // Consoles still list every flag.
    expect((await escalation.unresolved()).length).toBeGreaterThanOrEqual(41);
    // The receiver has the pages; the outbox marks them delivered when their answers come back.
    const outbox = running.app.get(OutboxRepository);
    let pending = -1;
    await until(async () => (pending = (await outbox.counts()).pending) === 0, 10_000, 'outbox drained').catch(() => undefined);
    expect(pending).toBe(0);
  }, 30_000);

  it('believes X-Forwarded-For only from a trusted proxy', async () => {
    // A client that connects directly (not through loopback) cannot choose its address: here every
    // connection comes from loopback, so the header is believed; the unit test of trustFunction covers
    // the refusal. The per-address limit of new conversations follows the forwarded address.
    const a = await visitorFrom('192.0.2.1');
    const b = await visitorFrom('192.0.2.2');
    expect((await ask(a, { text: 'What is KAP?' })).type).toBe('answer');
    expect((await ask(b, { text: 'What is KAP?' })).type).toBe('answer');
  });
});
