import { Injectable } from '@nestjs/common';
import type { Server } from 'socket.io';

/** The socket.io server, for what concerns all namespaces at once: connection counts and shutdown. */
@Injectable()
export class RealtimeServer {
  private io: Server | null = null;

  attach(io: Server): void {
    this.io = io;
  }

  /** Open connections of one namespace (`/chat`, `/staff`). */
  connections(namespace: string): number {
    return this.io?._nsps.get(namespace)?.sockets.size ?? 0;
  }

  /** Closes every client connection now (clients reconnect, to another instance or after the restart). */
  disconnectAll(): void {
    if (!this.io) return;
    for (const namespace of this.io._nsps.values()) namespace.disconnectSockets(true);
  }
}
