import type { IncomingMessage } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import type { Server } from 'socket.io';
import { AppConfig } from '../config/app-config.js';
import { Lifecycle } from '../lifecycle/lifecycle.js';
import { clientAddress, trustFunction } from './client-address.js';

/**
 * Which socket.io connections to let in: none while the process shuts down, and at most
 * MAX_CONNECTIONS_PER_ADDRESS open at once from one client address (the TRUST_PROXY-aware address, as
 * for rate limits). Counted per engine.io connection: one per browser tab, whatever namespaces it uses.
 */
@Injectable()
export class ConnectionGate {
  private readonly open = new Map<string, number>();
  private readonly trust: ReturnType<typeof trustFunction>;
  private readonly max: number;

  constructor(
    @Inject(AppConfig) config: AppConfig,
    @Inject(Lifecycle) private readonly lifecycle: Lifecycle,
  ) {
    this.trust = trustFunction(config.get('TRUST_PROXY'));
    this.max = config.get('MAX_CONNECTIONS_PER_ADDRESS');
  }

  /** Why a new connection is refused, or null when it may open (socket.io's allowRequest). */
  refusal(req: IncomingMessage): string | null {
    if (this.lifecycle.draining) return 'shutting down';
    if ((this.open.get(clientAddress(req, this.trust)) ?? 0) >= this.max) return 'too many connections from this address';
    return null;
  }

  /** Counts the server's open connections per address. */
  watch(io: Server): void {
    io.engine.on('connection', (socket: { request: IncomingMessage; once(event: 'close', fn: () => void): void }) => {
      const address = clientAddress(socket.request, this.trust);
      this.open.set(address, (this.open.get(address) ?? 0) + 1);
      socket.once('close', () => {
        const left = (this.open.get(address) ?? 1) - 1;
        if (left > 0) this.open.set(address, left);
        else this.open.delete(address);
      });
    });
  }

  /** Open connections from one address (tests, metrics). */
  openFrom(address: string): number {
    return this.open.get(address) ?? 0;
  }
}
