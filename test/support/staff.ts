import { io, type Socket } from 'socket.io-client';
import { StaffService, type Role } from '../../src/staff/staff.service.js';
import type { RunningApp } from './app.js';

export const STAFF_PASSWORD = 'a long test password';

/** Adds a staff account straight through the service (the `npm run staff` command does the same). */
export async function addStaff(running: RunningApp, email: string, role: Role): Promise<void> {
  await running.app.get(StaffService).add(email, role, STAFF_PASSWORD);
}

/** Signs in over HTTP, as the console does. */
export async function signIn(
  url: string,
  email: string,
  password = STAFF_PASSWORD,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ email, password }),
  });
  return { status: res.status, body: await res.json() };
}

/** An on-call console's socket on /staff, connected with a fresh sign-in (or the given token). */
export async function connectConsole(url: string, tokenOrEmail: string): Promise<Socket> {
  const token = tokenOrEmail.includes('@') ? (await signIn(url, tokenOrEmail)).body.token : tokenOrEmail;
  const socket = io(`${url}/staff`, { transports: ['websocket'], reconnection: false, auth: { token } });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (err) => reject(err));
  });
  return socket;
}

/** Polls until `check` returns something truthy (a condition, never a fixed wait). */
export async function until<T>(check: () => T | Promise<T>, timeoutMs = 10_000, what = 'condition'): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
