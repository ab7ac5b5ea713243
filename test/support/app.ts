import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { io, type Socket } from 'socket.io-client';

export interface RunningApp {
  app: INestApplication;
  url: string;
  dataDir: string;
  close(): Promise<void>;
}

/**
 * Boots the real app on an ephemeral port. The configuration is read once per test file (each Jest
 * test file has its own module registry), so `env` applies to the whole file.
 */
export async function startApp(env: Record<string, string> = {}): Promise<RunningApp> {
  const dataDir = env.DATA_DIR ?? mkdtempSync(path.join(tmpdir(), 'kap-data-'));
  Object.assign(process.env, { DATA_DIR: dataDir, ...env });
  const { createApp } = await import('../../src/bootstrap.js');
  const app = await createApp({ logger: false });
  // A fixed PORT lets a test restart the server where a browser expects it.
  await app.listen(Number(env.PORT ?? 0), '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    dataDir,
    async close() {
      await app.close();
      if (!env.DATA_DIR) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A connected visitor socket on /chat. */
export async function connectVisitor(url: string, options: Record<string, unknown> = {}): Promise<Socket> {
  const socket = io(`${url}/chat`, { transports: ['websocket'], reconnection: false, ...options });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

/**
 * Sends a `message` and waits for its acknowledgement. The wait is generous because a CI machine running
 * the suite's files in parallel can be slow; a reply that never comes still fails the test.
 */
export function ask<T = Record<string, any>>(socket: Socket, payload: unknown): Promise<T> {
  return socket.timeout(15000).emitWithAck('message', payload) as Promise<T>;
}

/** The conversation a reply belongs to, with the secret that continues it. */
export function access(reply: Record<string, any>): { conversationId: string; resumeToken: string } {
  return { conversationId: reply.conversationId, resumeToken: reply.resumeToken };
}
