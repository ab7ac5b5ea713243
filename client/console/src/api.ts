import type { Session } from './protocol.js';

/**
 * The staff HTTP API (`/api/*`). The session lives in the HttpOnly `kap_staff` cookie only; changes are
 * sent as JSON, which the server's CSRF rule requires of cookie sessions.
 */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The whole error reply: field errors, the regression diff, the latest revision... */
    readonly body: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

let unauthorized: (() => void) | null = null;

/** Called when a signed-in request is refused as unauthorized (the session ended): back to sign-in. */
export function onUnauthorized(handler: (() => void) | null): void {
  unauthorized = handler;
}

async function call(method: Method, path: string, body?: unknown): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      cache: 'no-store',
      headers: body === undefined && method !== 'DELETE' ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network', 'The server could not be reached. Check the connection and try again.');
  }
  const data = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
  if (!res.ok) {
    const error = data?.error ?? {};
    throw new ApiError(
      res.status,
      error.code ?? 'http_error',
      error.message ?? `The server answered ${res.status}.`,
      (data ?? {}) as Record<string, unknown>,
    );
  }
  return data;
}

/** A signed-in request; an ended session sends the console back to the sign-in page. */
export async function api<T>(method: Method, path: string, body?: unknown): Promise<T> {
  try {
    return (await call(method, path, body)) as T;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) unauthorized?.();
    throw err;
  }
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
