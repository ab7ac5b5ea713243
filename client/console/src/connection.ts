import { io, type Socket } from 'socket.io-client';
import type { Activity, AlertEvent, ErrorAck, Flag, Requests, TurnEvent } from './protocol.js';

/** How long a request may wait for the server's acknowledgement. */
const REQUEST_TIMEOUT_MS = 10_000;

export class RequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface ConnectionHandlers {
  connected(): void;
  disconnected(): void;
  flag(flag: Flag, isNew: boolean): void;
  turn(event: TurnEvent): void;
  activity(activity: Activity): void;
  alert(event: AlertEvent): void;
  /** The server refused the session (signed out elsewhere, expired, account disabled). */
  sessionEnded(): void;
  /** The server refused the role (the account may no longer use the on-call console). */
  forbidden(): void;
}

export interface StaffConnection {
  request<K extends keyof Requests>(
    event: K,
    ...body: Requests[K]['body'] extends undefined ? [] : [Requests[K]['body']]
  ): Promise<Requests[K]['reply']>;
  close(): void;
}

function isErrorAck(value: unknown): value is ErrorAck {
  return typeof value === 'object' && value !== null && 'error' in value;
}

/**
 * The console's socket on `/staff`, signed in by the session cookie. It reconnects by itself after a
 * network drop; when the server ends the connection (it does so when the session ends) it tries again
 * once, and the server's answer tells whether the session is still good.
 */
export function connectStaff(handlers: ConnectionHandlers): StaffConnection {
  const socket: Socket = io('/staff', { transports: ['websocket'], withCredentials: true });
  let closed = false;

  socket.on('connect', () => handlers.connected());
  socket.on('disconnect', (reason) => {
    if (closed) return;
    handlers.disconnected();
    // The server closed it: a session that ended is refused on the way back in (connect_error).
    if (reason === 'io server disconnect') socket.connect();
  });
  socket.on('connect_error', (err: Error) => {
    if (closed) return;
    if (err.message === 'unauthorized') handlers.sessionEnded();
    else if (err.message === 'forbidden') handlers.forbidden();
    // Anything else is the network: socket.io keeps trying, and the console shows "Reconnecting".
  });
  socket.on('flag:new', (flag: Flag) => handlers.flag(flag, true));
  socket.on('flag:updated', (flag: Flag) => handlers.flag(flag, false));
  socket.on('conversation:turn', (event: TurnEvent) => handlers.turn(event));
  socket.on('flag:activity', (activity: Activity) => handlers.activity(activity));
  socket.on('conversation:alert', (event: AlertEvent) => handlers.alert(event));

  return {
    async request(event, ...body) {
      if (!socket.connected) throw new RequestError('offline', 'Not connected to the server. Wait for it to reconnect.');
      let reply: unknown;
      try {
        reply = await socket.timeout(REQUEST_TIMEOUT_MS).emitWithAck(event, ...body);
      } catch {
        throw new RequestError('timeout', 'The server did not answer in time. Try again.');
      }
      if (isErrorAck(reply)) {
        if (reply.error.code === 'unauthorized') handlers.sessionEnded();
        throw new RequestError(reply.error.code, reply.error.message);
      }
      return reply as never;
    },
    close() {
      closed = true;
      socket.disconnect();
    },
  };
}
