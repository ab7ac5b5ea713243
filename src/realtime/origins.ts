import type { IncomingMessage } from 'node:http';

/**
 * Whether a browser page at `origin` may talk to the bot. CORS does not protect WebSockets, so the
 * socket.io server checks this itself on every connection (allowRequest). Requests without an Origin
 * header come from programs, not from a web page, and are allowed.
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
  if (url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]') return true;
  return allowList.includes(url.origin);
}

export function requestOriginAllowed(req: IncomingMessage, allowList: string[]): boolean {
  return originAllowed(req.headers.origin, req.headers.host, allowList);
}
