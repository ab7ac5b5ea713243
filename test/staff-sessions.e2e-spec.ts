import type { Socket } from 'socket.io-client';
import { StaffService } from '../src/staff/staff.service.js';
import { startApp, type RunningApp } from './support/app.js';
import { addStaff, connectConsole, signIn, STAFF_PASSWORD } from './support/staff.js';
import { next } from './support/webhook.js';

/**
 * Hardening items 10, 14 and 15: a session that ends closes its open console at once; sign-in throttles
 * the address that keeps failing, never the account holder elsewhere; client addresses come from
 * X-Forwarded-For only through a trusted proxy (loopback here).
 */
describe('staff sessions and sign-in (real app)', () => {
  let running: RunningApp;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    running = await startApp({ TRUST_PROXY: 'loopback', STAFF_TOKEN_TTL_MINUTES: '5' });
    for (const who of ['a', 'b', 'c', 'd']) await addStaff(running, `${who}@example.org`, 'oncall');
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await running.close();
  });

  const open = async (email: string) => {
    const { body } = await signIn(running.url, email);
    const socket = await connectConsole(running.url, body.token);
    sockets.push(socket);
    return { socket, token: body.token as string };
  };

  it('disconnects a console at once when its session is signed out, and refuses its token afterwards', async () => {
    const { socket, token } = await open('a@example.org');
    const closed = next(socket, 'disconnect');
    await fetch(`${running.url}/api/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    await closed;
    expect(socket.connected).toBe(false);
    await expect(connectConsole(running.url, token)).rejects.toThrow(/unauthorized/);
  });

  it('disconnects every console of an account that is disabled or gets a new password', async () => {
    const first = await open('b@example.org');
    const second = await open('b@example.org');
    const closed = Promise.all([next(first.socket, 'disconnect'), next(second.socket, 'disconnect')]);
    await running.app.get(StaffService).disable('b@example.org');
    await closed;
    const other = await open('c@example.org');
    const gone = next(other.socket, 'disconnect');
    await running.app.get(StaffService).setPassword('c@example.org', 'a brand new long password');
    await gone;
  });

  it('checks the session on every request: a session revoked behind its back cannot act', async () => {
    const { socket, token } = await open('d@example.org');
    // Revoked straight in the store (as another instance or the command line would), without an event.
    const { StorageService } = await import('../src/storage/storage.service.js');
    await running.app
      .get(StorageService)
      .db.updateTable('staff_sessions')
      .set({ revoked_at: new Date().toISOString() })
      .execute();
    expect(await socket.timeout(15000).emitWithAck('flags:list')).toEqual({
      error: { code: 'unauthorized', message: expect.any(String) },
    });
    expect(token).toBeTruthy();
  });

  it('refuses the address that keeps guessing, and still lets the nurse in from elsewhere', async () => {
    await addStaff(running, 'nurse@example.org', 'oncall');
    const attacker = { 'x-forwarded-for': '203.0.113.9' };
    const nurse = { 'x-forwarded-for': '198.51.100.20' };
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++)
      statuses.push((await signIn(running.url, 'nurse@example.org', 'wrong guess number', attacker)).status);
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
    // The attacker's address is refused even with the right password...
    expect((await signIn(running.url, 'nurse@example.org', STAFF_PASSWORD, attacker)).status).toBe(429);
    // ...the nurse, from an address that has not failed, gets in at once.
    const ok = await signIn(running.url, 'nurse@example.org', STAFF_PASSWORD, nurse);
    expect(ok.status).toBe(200);
    expect(ok.body.role).toBe('oncall');
  }, 30_000);
});
