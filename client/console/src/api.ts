import type { Session } from './protocol.js';

/** The staff sign-in API (`/api/auth/*`). The session lives in the HttpOnly `kap_staff` cookie only. */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    cache: 'no-store',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
  if (!res.ok) {
    const error = data?.error ?? {};
    throw new ApiError(res.status, error.code ?? 'http_error', error.message ?? `The server answered ${res.status}.`);
  }
  return data;
}

/** The current session, or null when there is none. */
export async function currentSession(): Promise<Session | null> {
  try {
    return (await call('GET', '/api/auth/session')) as Session;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null;
    throw err;
  }
}

/** Signs in (the server sets the cookie) and returns the new session. */
export async function signIn(email: string, password: string): Promise<Session> {
  await call('POST', '/api/auth/login', { email, password });
  const session = await currentSession();
  if (!session) throw new ApiError(401, 'unauthorized', 'The sign-in did not hold. Try again.');
  return session;
}

export async function signOut(): Promise<void> {
  await call('POST', '/api/auth/logout');
}
