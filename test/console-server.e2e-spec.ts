import type { Socket } from 'socket.io-client';
import { CONSOLE_CSP } from '../src/console/console.controller.js';
import { AuditLog } from '../src/escalation/audit-log.js';
import { EscalationService } from '../src/escalation/escalation.service.js';
import { access, ask, connectVisitor, startApp, type RunningApp } from './support/app.js';
import { addStaff, connectConsole, signIn } from './support/staff.js';
import { freePort, next, WebhookReceiver } from './support/webhook.js';

/**
 * What the server gives the staff console: the page and its files at /console under a strict policy,
 * who a session belongs to, the staff directory, a flag's trail (on request and live), the escalation
 * delay, and paging states pushed to consoles as they change.
 */
describe('the console on the server (real app)', () => {
  let running: RunningApp;
  let pager: WebhookReceiver;
  const sockets: Socket[] = [];
  const track = <T extends Socket>(s: T) => (sockets.push(s), s);

  beforeAll(async () => {
    pager = new WebhookReceiver(await freePort());
    await pager.start();
    running = await startApp({
      PAGING_WEBHOOK_URL: pager.url,
      PAGING_WEBHOOK_SECRET: 'a-test-secret-of-16+chars',
      OUTBOX_POLL_MS: '100',
      WEBHOOK_RETRY_BASE_MS: '100',
      WEBHOOK_RETRY_MAX_MS: '200',
      ESCALATION_MINUTES: '7',
      TRUST_PROXY: 'loopback',
    });
    await addStaff(running, 'nurse@example.org', 'oncall');
    await addStaff(running, 'other@example.org', 'oncall');
    await addStaff(running, 'editor@example.org', 'editor');
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await running.close();
    await pager.stop();
  });

  it('serves the console page and its content-hashed files under a strict policy, nothing else', async () => {
    for (const path of ['/console', '/console/']) {
      const res = await fetch(`${running.url}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const html = await res.text();
      // No inline script or style: only the built, hashed files.
      expect(html).not.toMatch(/<script>|<style|\sstyle=|\son\w+=/i);
      const files = [...html.matchAll(/(?:src|href)="\/console\/([^"]+)"/g)].map((m) => m[1]);
      expect(files).toEqual([
        expect.stringMatching(/^console\.[0-9a-f]{12}\.css$/),
        expect.stringMatching(/^app\.[0-9a-f]{12}\.js$/),
      ]);
      for (const file of files) {
        const asset = await fetch(`${running.url}/console/${file}`);
        expect(asset.status).toBe(200);
        expect(asset.headers.get('cache-control')).toMatch(/immutable/);
      }
    }
    expect(CONSOLE_CSP).toMatch(/script-src 'self';/);
    expect(CONSOLE_CSP).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(CONSOLE_CSP).toMatch(/require-trusted-types-for 'script'/);
    // One Trusted Types policy only: the preview's (client/console/src/reply-html.ts), no duplicates.
    expect(CONSOLE_CSP).toMatch(/; trusted-types kap-preview(;|$)/);
    expect(CONSOLE_CSP).not.toMatch(/allow-duplicates|'default'/);
    for (const path of ['/console/index.html', '/console/app.js', '/console/..%2Fpackage.json', '/console/app.0123456789ab.js'])
      expect((await fetch(`${running.url}${path}`)).status).toBe(404);
  });

  it('tells a console whose session it holds, by cookie or token, and 401 without one', async () => {
    const { body } = await signIn(running.url, 'editor@example.org');
    const member = { id: expect.any(String), email: 'editor@example.org', role: 'editor' };
    const ways: Array<Record<string, string>> = [
      { cookie: `kap_staff=${body.token}` },
      { authorization: `Bearer ${body.token}` },
    ];
    for (const headers of ways) {
      const res = await fetch(`${running.url}/api/auth/session`, { headers });
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(await res.json()).toEqual({ member, expiresAt: body.expiresAt });
    }
    const none = await fetch(`${running.url}/api/auth/session`);
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ error: { code: 'unauthorized' } });
    await fetch(`${running.url}/api/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${body.token}` } });
    expect((await fetch(`${running.url}/api/auth/session`, { headers: { authorization: `Bearer ${body.token}` } })).status).toBe(
      401,
    );
  });

  it('gives the escalation delay with the queue, and the staff directory', async () => {
    const nurse = track(await connectConsole(running.url, 'nurse@example.org'));
    expect(await nurse.emitWithAck('flags:list')).toMatchObject({ flags: expect.any(Array), escalationMinutes: 7 });
    const { staff } = await nurse.emitWithAck('staff:directory');
    expect(staff.map((s: { email: string }) => s.email)).toEqual([
      'editor@example.org',
      'nurse@example.org',
      'other@example.org',
    ]);
    expect(Object.keys(staff[0]).sort()).toEqual(['email', 'id']);
  });

  it("keeps a flag's trail: each action on it or its conversation, who and when, on request and live to every console", async () => {
    const nurse = track(await connectConsole(running.url, 'nurse@example.org'));
    const other = track(await connectConsole(running.url, 'other@example.org'));
    const visitor = track(await connectVisitor(running.url));
    const flagged = next(nurse, 'flag:new');
    const first = await ask(visitor, { text: 'I want to kill myself' });
    const flag = await flagged;

    const seen: Array<{ action: string; staffId: string; flagId: string | null; note?: string }> = [];
    other.on('flag:activity', (a) => seen.push(a));
    const view = await nurse.emitWithAck('flag:view', { id: flag.id });
    expect(view.activity).toEqual([
      {
        id: expect.any(Number),
        at: expect.any(String),
        action: 'flag.view',
        staffId: expect.any(String),
        flagId: flag.id,
        conversationId: flag.conversationId,
      },
    ]);
    await nurse.emitWithAck('flag:acknowledge', { id: flag.id });
    await nurse.emitWithAck('conversation:join', { conversationId: flag.conversationId });
    await nurse.emitWithAck('conversation:message', {
      conversationId: flag.conversationId,
      text: 'Private words for the visitor',
    });
    await ask(visitor, { text: 'thank you', ...access(first) });
    await nurse.emitWithAck('conversation:leave', { conversationId: flag.conversationId });
    await nurse.emitWithAck('flag:resolve', { id: flag.id, note: 'Safe, follow-up call booked.' });
    await nurse.emitWithAck('flags:list');

    const expected = [
      'flag.view',
      'flag.acknowledge',
      'conversation.join',
      'conversation.message',
      'conversation.leave',
      'flag.resolve',
    ];
    const trail = (await other.emitWithAck('flag:view', { id: flag.id })).activity;
    expect(trail.map((a: { action: string }) => a.action)).toEqual([...expected, 'flag.view']);
    expect(trail.find((a: { action: string }) => a.action === 'flag.resolve').note).toBe('Safe, follow-up call booked.');
    // Message text never travels in the trail; listings are not part of it.
    expect(JSON.stringify(trail)).not.toMatch(/Private words/);
    expect(seen.map((a) => a.action)).toEqual([...expected, 'flag.view']);
    expect(new Set(seen.slice(0, 6).map((a) => a.staffId)).size).toBe(1);
    // The same rows as the append-only audit log.
    const audited = await running.app
      .get(AuditLog)
      .trail({ id: flag.id, conversationId: flag.conversationId, createdAt: flag.createdAt });
    expect(audited.map((a) => a.id)).toEqual(trail.map((a: { id: number }) => a.id));
  });

  it('tells consoles when a page is delivered, retried or failed, not only when it fails for good', async () => {
    const nurse = track(await connectConsole(running.url, 'nurse@example.org'));
    const states: string[] = [];
    nurse.on('flag:updated', (f: { paging: string }) => states.push(f.paging));
    pager.status = 503;
    // From an address of its own: pages from one address are folded (PAGING_FOLD_SECONDS).
    const visitor = track(await connectVisitor(running.url, { extraHeaders: { 'x-forwarded-for': '198.51.100.7' } }));
    const reply = await ask(visitor, { text: 'I want to end my life' });
    const flagId = (await running.app.get(EscalationService).openFlagId(reply.conversationId))!;
    await pager.waitFor(() => pager.received.length > 0);
    const until = async (state: string) => {
      const deadline = Date.now() + 10_000;
      while (!states.includes(state)) {
        if (Date.now() > deadline) throw new Error(`no flag:updated with paging ${state} (got ${states.join(', ')})`);
        await new Promise((r) => setTimeout(r, 25));
      }
    };
    await until('retrying');
    pager.status = 200;
    await until('delivered');
    expect((await running.app.get(EscalationService).view(flagId)).paging).toBe('delivered');
  });
});
