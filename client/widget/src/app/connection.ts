import { io, type Socket } from 'socket.io-client';
import {
  isErrorAck,
  isReply,
  type ErrorAck,
  type Locale,
  type Reply,
  type ResumeAck,
  type StaffEvent,
} from '../shared/protocol.js';
import { nextToSend } from './state.js';
import type { Store } from './store.js';

/**
 * The socket.io connection to /chat: connecting and reconnecting, resuming the conversation on every
 * connection, and sending the visitor's messages one at a time, in order, each with its client
 * message id (a resend is answered with the same reply, never processed twice).
 */

const ACK_TIMEOUT_MS = 15_000;
export const CONTROL_TIMEOUT_MS = 8_000;
/** How long "Reconnected" shows before the status goes back to normal. */
const SETTLE_MS = 4_000;

export interface ConnectionEvents {
  /** A reply to the visitor's message `id`, not seen before (the state already has it). */
  reply(id: string, reply: Reply): void;
  /** The server refused a message (called before the state has it as failed). */
  refused(ack: ErrorAck | null): void;
  /** The conversation's recent turns, on every connection. */
  resumed(ack: ResumeAck): void;
  /** The server no longer knows the conversation (the state has forgotten its id). */
  unknownConversation(): void;
  /** A care-team member joined, wrote or left. */
  staff(role: 'staff' | 'notice', event: unknown): void;
}

export interface Connection {
  /** Connects, once; later calls do nothing. */
  ensure(): void;
  /** Sends the next queued message, if it can go out now. */
  pump(): void;
  /**
   * Sends text the widget refused (too long) so the server can still screen it for a crisis: `done` gets
   * the reply (the crisis reply) or nothing. False, without sending, when not connected.
   */
  screen(text: string, clientMessageId: string, done: (reply: Reply | null) => void): boolean;
  /** Emits a control event (feedback, contact, clear); false, without emitting, when not connected. */
  request(event: string, payload: object, done: (err: Error | null, ack: unknown) => void): boolean;
}

function isResume(value: unknown): value is ResumeAck {
  return !!value && typeof value === 'object' && typeof (value as ResumeAck).conversationId === 'string';
}

export function createConnection(store: Store, server: string, locale: Locale, on: ConnectionEvents): Connection {
  let socket: Socket | null = null;
  /** Bumped on every connect and disconnect: callbacks of an older connection are ignored. */
  let epoch = 0;
  let settleTimer: ReturnType<typeof setTimeout> | undefined;
  const dispatch = store.dispatch;

  function ensure(): void {
    if (socket) return;
    const base = new URL(server);
    const s = io(`${base.origin}/chat`, {
      path: `${base.pathname}socket.io`,
      transports: ['websocket', 'polling'],
      tryAllTransports: true,
      reconnectionDelay: 500,
      reconnectionDelayMax: 4000,
      timeout: 10_000,
      withCredentials: false,
      autoConnect: false,
    });
    socket = s;
    s.on('connect', onConnect);
    s.on('disconnect', (reason) => {
      epoch++;
      clearTimeout(settleTimer);
      dispatch({ type: 'disconnected' });
      // The server closed this connection on purpose (a restart, for instance): try again shortly.
      if (reason === 'io server disconnect') setTimeout(() => s.connect(), 1000);
    });
    s.on('connect_error', () => dispatch({ type: 'disconnected' }));
    s.on('staff:joined', (e: StaffEvent) => {
      if (e?.conversationId === store.state.conversationId) dispatch({ type: 'staff', present: true });
      on.staff('notice', e);
    });
    s.on('staff:message', (e: StaffEvent) => on.staff('staff', e));
    s.on('staff:left', (e: StaffEvent) => {
      if (e?.conversationId === store.state.conversationId) dispatch({ type: 'staff', present: false });
      on.staff('notice', e);
    });
    dispatch({ type: 'connecting' });
    s.connect();
  }

  function onConnect(): void {
    const s = socket as Socket;
    const mine = ++epoch;
    dispatch({ type: 'connected' });
    clearTimeout(settleTimer);
    if (store.state.connection === 'reconnected') settleTimer = setTimeout(() => dispatch({ type: 'settled' }), SETTLE_MS);
    const id = store.state.conversationId;
    if (!id) return pump();
    // On every connection: the conversation's recent turns and state (a crisis flag, a staff member).
    const payload = { conversationId: id, resumeToken: store.state.resumeToken };
    s.timeout(CONTROL_TIMEOUT_MS).emit('resume', payload, (err: Error | null, ack: unknown) => {
      if (mine !== epoch || store.state.conversationId !== id) return;
      if (err) {
        dispatch({ type: 'resumeFailed' });
      } else if (isErrorAck(ack)) {
        if (ack.error.code === 'unknown_conversation') {
          dispatch({ type: 'unknownConversation' });
          on.unknownConversation();
        } else {
          dispatch({ type: 'resumeFailed' });
        }
      } else if (isResume(ack)) {
        on.resumed(ack);
      } else {
        dispatch({ type: 'resumeFailed' });
      }
      pump();
    });
  }

  function messagePayload(text: string, clientMessageId: string): Record<string, string> {
    const payload: Record<string, string> = { text, locale, clientMessageId };
    const { conversationId, resumeToken } = store.state;
    // Only the holder of the conversation's token may continue it; without one the server starts a new one.
    if (conversationId && resumeToken) Object.assign(payload, { conversationId, resumeToken });
    return payload;
  }

  function pump(): void {
    const s = socket;
    const next = nextToSend(store.state);
    if (!s || !s.connected || !next) return;
    dispatch({ type: 'sending', id: next.id });
    const attempt = store.state.outbox.find((o) => o.id === next.id)?.attempts ?? 0;
    s.timeout(ACK_TIMEOUT_MS).emit('message', messagePayload(next.text, next.id), (err: Error | null, ack: unknown) => {
      if (err) {
        dispatch({ type: 'timedOut', id: next.id, attempt });
      } else if (isReply(ack)) {
        if (dispatch({ type: 'acked', id: next.id, reply: ack })) on.reply(next.id, ack);
      } else {
        const refusal = isErrorAck(ack) ? ack : null;
        // The server sends resources with a refusal when the message showed distress: the banner shows them.
        const withResources = Array.isArray(refusal?.resources) && refusal.resources.length > 0;
        on.refused(refusal);
        dispatch({ type: 'rejected', id: next.id, code: refusal ? String(refusal.error.code) : 'internal_error', withResources });
      }
      pump();
    });
  }

  function screen(text: string, clientMessageId: string, done: (reply: Reply | null) => void): boolean {
    const s = socket;
    if (!s?.connected) return false;
    // The server screens even a payload it refuses: a crisis gets the crisis reply (and the care team is
    // alerted); anything else a refusal, with the resources when the text showed distress.
    s.timeout(ACK_TIMEOUT_MS).emit('message', messagePayload(text, clientMessageId), (err: Error | null, ack: unknown) => {
      if (!err && isReply(ack)) return done(ack);
      if (!err && isErrorAck(ack)) on.refused(ack);
      done(null);
    });
    return true;
  }

  function request(event: string, payload: object, done: (err: Error | null, ack: unknown) => void): boolean {
    const s = socket;
    if (!s?.connected) return false;
    s.timeout(CONTROL_TIMEOUT_MS).emit(event, payload, done);
    return true;
  }

  window.addEventListener('online', () => {
    if (socket && !socket.connected) socket.connect();
  });
  window.addEventListener('offline', () => {
    // Do not wait for a heartbeat to notice: show "offline" now and reconnect when the network is back.
    if (socket?.connected) socket.io.engine?.close();
  });

  return { ensure, pump, screen, request };
}
