import type { IncomingMessage } from 'node:http';
import { validateConfig } from '../config/config.schema.js';
import { clientAddress, trustFunction } from './client-address.js';

const request = (remote: string, forwarded?: string) =>
  ({
    headers: forwarded ? { 'x-forwarded-for': forwarded } : {},
    socket: { remoteAddress: remote },
    connection: { remoteAddress: remote },
  }) as unknown as IncomingMessage;

describe('client addresses behind proxies (TRUST_PROXY)', () => {
  it('ignores X-Forwarded-For unless the peer is a trusted proxy: a client cannot choose its address', () => {
    const none = trustFunction(validateConfig({}).TRUST_PROXY);
    expect(clientAddress(request('203.0.113.5', '10.9.9.9'), none)).toBe('203.0.113.5');
    const proxies = trustFunction(validateConfig({ TRUST_PROXY: '10.0.0.0/8, loopback' }).TRUST_PROXY);
    // Through the trusted proxy: the address it saw.
    expect(clientAddress(request('10.1.2.3', '198.51.100.7'), proxies)).toBe('198.51.100.7');
    // A spoofed header from outside: ignored.
    expect(clientAddress(request('203.0.113.5', '10.9.9.9'), proxies)).toBe('203.0.113.5');
    // A client that prepends a fake address to the chain through the proxy gets the address the proxy saw.
    expect(clientAddress(request('10.1.2.3', '1.2.3.4, 198.51.100.7'), proxies)).toBe('198.51.100.7');
  });

  it('takes a hop count, and refuses a bare "true" (which would believe anyone)', () => {
    const oneHop = trustFunction(validateConfig({ TRUST_PROXY: '1' }).TRUST_PROXY);
    expect(clientAddress(request('10.1.2.3', '1.2.3.4, 198.51.100.7'), oneHop)).toBe('198.51.100.7');
    expect(() => validateConfig({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY/);
    expect(() => validateConfig({ TRUST_PROXY: 'my-proxy.example' })).toThrow(/TRUST_PROXY/);
  });
});

describe('which pages may open a socket (origins)', () => {
  it('lets localhost pages in only while the bot itself is on localhost', async () => {
    const { originAllowed } = await import('./origins.js');
    expect(originAllowed('http://localhost:5173', 'localhost:3000', [])).toBe(true);
    expect(originAllowed('http://127.0.0.1:8080', '127.0.0.1:3000', [])).toBe(true);
    // In production the bot has its own host name: a page on someone's localhost is a stranger.
    expect(originAllowed('http://localhost:5173', 'bot.clinic.example', [])).toBe(false);
    expect(originAllowed('https://clinic.example', 'bot.clinic.example', ['https://clinic.example'])).toBe(true);
    expect(originAllowed('https://bot.clinic.example', 'bot.clinic.example', [])).toBe(true);
    expect(originAllowed('https://evil.example', 'bot.clinic.example', ['https://clinic.example'])).toBe(false);
  });
});
