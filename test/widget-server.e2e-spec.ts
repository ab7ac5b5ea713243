import { io } from 'socket.io-client';
import { StaffService } from '../src/staff/staff.service.js';
import { access, ask, connectVisitor, startApp, type RunningApp } from './support/app.js';
import { next } from './support/webhook.js';

describe('widget hosting and origin checks (real app)', () => {
  let running: RunningApp;
  beforeAll(async () => {
    running = await startApp({
      ALLOWED_ORIGINS: 'https://clinic.example',
      CLINIC_NAME: 'Example Clinic',
      CLINIC_PHONE: '+1 555 010 0000',
    });
  });
  afterAll(() => running.close());

  it('refuses socket connections from pages on origins not on the allow-list', async () => {
    const evil = io(`${running.url}/chat`, {
      transports: ['websocket'],
      reconnection: false,
      extraHeaders: { Origin: 'https://evil.example' },
    });
    expect(await next<Error>(evil, 'connect_error')).toBeInstanceOf(Error);
    evil.close();
    for (const origin of ['https://clinic.example', 'http://localhost:8080', running.url]) {
      const ok = io(`${running.url}/chat`, { transports: ['websocket'], reconnection: false, extraHeaders: { Origin: origin } });
      await next(ok, 'connect');
      ok.close();
    }
  });

  it('serves the widget configuration with the clinic contact from configuration, to allowed origins only', async () => {
    const res = await fetch(`${running.url}/api/widget/config`, { headers: { origin: 'https://clinic.example' } });
    expect(await res.json()).toEqual({ clinic: { name: 'Example Clinic', phone: '+1 555 010 0000' }, locales: ['en', 'es'] });
    expect(res.headers.get('access-control-allow-origin')).toBe('https://clinic.example');
    const other = await fetch(`${running.url}/api/widget/config`, { headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('serves the loader with a short cache and the app under its content hash, cached for a year', async () => {
    const loader = await fetch(`${running.url}/widget.js`);
    expect(loader.status).toBe(200);
    expect(loader.headers.get('cache-control')).toBe('public, max-age=300');
    const etag = loader.headers.get('etag')!;
    expect((await fetch(`${running.url}/widget.js`, { headers: { 'if-none-match': etag } })).status).toBe(304);
    const { app } = await (await fetch(`${running.url}/widget/manifest.json`)).json();
    expect(app).toMatch(/^app\.[0-9a-f]{8,}\.js$/);
    const appRes = await fetch(`${running.url}/widget/${app}`);
    expect(appRes.status).toBe(200);
    expect(appRes.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await fetch(`${running.url}/widget/..%2Fpackage.json`)).status).toBe(404);
  });

  it('serves the demo clinic page under a strict Content-Security-Policy', async () => {
    const page = await fetch(`${running.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'; style-src 'self'/);
    expect(await page.text()).toMatch(/<script src="\/widget\.js" data-locale="en" async><\/script>/);
  });

  it('answers a repeated client message id with the same reply, processed once', async () => {
    const socket = await connectVisitor(running.url);
    const first = await ask(socket, { text: 'What is KAP?', clientMessageId: 'm-1' });
    const again = await ask(socket, { text: 'What is KAP?', clientMessageId: 'm-1', ...access(first) });
    expect(again).toEqual(first);
    const snapshot = await socket.timeout(15000).emitWithAck('resume', access(first));
    expect(snapshot.turns.map((t: { role: string }) => t.role)).toEqual(['visitor', 'bot']);
    // The same reply, shown again (the secret travels only in the acknowledgement of a message).
    const { resumeToken: _token, ...shown } = first;
    expect(snapshot.turns[1].reply).toEqual(shown);
    expect(await socket.timeout(15000).emitWithAck('clear', access(first))).toEqual({ ok: true });
    expect(await socket.timeout(15000).emitWithAck('resume', access(first))).toEqual({
      error: { code: 'unknown_conversation', message: expect.any(String) },
    });
    socket.close();
  });

  it('stores "Was this helpful?" votes, and shows them to editors only', async () => {
    const socket = await connectVisitor(running.url);
    const answer = await ask(socket, { text: 'What are the side effects of ketamine?' });
    const vote = (helpful: boolean) =>
      socket.timeout(15000).emitWithAck('feedback', { ...access(answer), entryId: answer.entryId, helpful });
    expect(await vote(true)).toEqual({ ok: true });
    // A second vote on the same answer replaces the first: one vote per answer per conversation.
    expect(await vote(false)).toEqual({ ok: true });
    // Only answers this conversation was given can be voted on.
    expect(
      await socket.timeout(15000).emitWithAck('feedback', { ...access(answer), entryId: 'insurance-cost', helpful: true }),
    ).toEqual({
      error: { code: 'invalid_request', message: expect.any(String) },
    });
    socket.close();

    const staff = running.app.get(StaffService);
    await staff.add('editor@example.org', 'editor', 'an editor password');
    await staff.add('nurse@example.org', 'oncall', 'an on-call password');
    const tokenOf = async (email: string, password: string) => (await staff.login(email, password))!.token;
    const report = (token?: string) =>
      fetch(`${running.url}/api/staff/feedback`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

    expect((await report()).status).toBe(401);
    expect((await report(await tokenOf('nurse@example.org', 'an on-call password'))).status).toBe(403);
    const res = await report(await tokenOf('editor@example.org', 'an editor password'));
    expect(await res.json()).toEqual({ entries: [{ entryId: 'side-effects', helpful: 0, unhelpful: 1 }] });
  });
});
