import type { IncomingMessage } from 'node:http';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Whether a browser page at `origin` may talk to the bot. CORS does not protect WebSockets, so the
 * socket.io server checks this itself on every connection (allowRequest). Allowed: the bot's own
 * origin, the configured ALLOWED_ORIGINS, and pages on this machine (localhost) only while the bot itself
 * is reached on localhost (development). Requests without an Origin header come from programs, not from
 * a web page, and are allowed.
 */
export function originAllowed(origin: string | undefined, host: string | undefined, allowList: string[]): boolean {
  if (!origin) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.host === host) return true;
  const hostName = host ? host.replace(/:\d+$/, '') : '';
  if (LOOPBACK.has(url.hostname) && LOOPBACK.has(hostName)) return true;
  return allowList.includes(url.origin);
}

export function requestOriginAllowed(req: IncomingMessage, allowList: string[]): boolean {
  return originAllowed(req.headers.origin, req.headers.host, allowList);
}
