import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';

/** Which proxies' X-Forwarded-For to believe: none, a hop count, or a list of addresses and subnets. */
export type TrustProxy = false | number | string[];

/**
 * The trust function of proxy-addr (the library Express itself uses), so HTTP requests and socket.io
 * handshakes agree on a client's address. Only the configured proxies are believed: a client that
 * writes its own X-Forwarded-For cannot choose its address.
 */
export function trustFunction(trust: TrustProxy): (address: string, hop: number) => boolean {
  if (trust === false) return () => false;
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  return proxyaddr.compile(trust);
}

/** The client's address for a request or a socket.io handshake (`socket.request`). */
export function clientAddress(req: IncomingMessage, trust: (address: string, hop: number) => boolean): string {
  return proxyaddr(req as Parameters<typeof proxyaddr>[0], trust);
}
