import type { Reply } from '../shared/protocol.js';

/**
 * The widget's state machine: the connection, the conversation and the outbox of visitor messages.
 * Pure: `reduce` never touches the DOM or the socket; it returns the same object when an event
 * changes nothing (a duplicate acknowledgement, a late time-out), so callers can tell.
 *
 * Messages are sent one at a time, in order, only once the connection is up and the conversation has
 * been resumed (the first reply issues the conversation id the next message needs). A message keeps
 * its client message id across every resend, so the server answers a repeat with the same reply.
 */

export type Connection = 'idle' | 'connecting' | 'online' | 'offline' | 'reconnected';

export type OutgoingStatus = 'queued' | 'sending' | 'failed';

export interface Outgoing {
  id: string;
  text: string;
  status: OutgoingStatus;
  attempts: number;
  error?: string;
}

export interface State {
  connection: Connection;
  everConnected: boolean;
  /** The current connection has resumed the conversation (or there was none to resume). */
  resumed: boolean;
  conversationId: string | null;
  /** The conversation's secret from the server: only this widget holds it. */
  resumeToken: string | null;
  /** Once true, the crisis resources stay visible until the visitor clears the conversation. */
  flagged: boolean;
  /**
   * A refused message may have been someone in distress (the server sent resources with the refusal, or
   * the message was too long: someone pouring their heart out): the resources stay visible, like for a
   * flag, until the visitor clears the conversation.
   */
  distress: boolean;
  /**
   * The server could not be reached for a while (never, or while a message waited): the built-in crisis
   * resources show until it answers again.
   */
  unreachable: boolean;
  staffPresent: boolean;
  open: boolean;
  unread: number;
  /** Visitor messages not acknowledged yet, oldest first. */
  outbox: Outgoing[];
  /** Client message ids already answered (the most recent ones), so a repeated answer is ignored. */
  answered: string[];
}

export type WidgetEvent =
  | { type: 'open' }
  | { type: 'close' }
  | { type: 'connecting' }
  | { type: 'connected' }
  | { type: 'disconnected' }
  | { type: 'settled' }
  | { type: 'resumed'; conversationId: string; flagged: boolean; staffPresent: boolean }
  | { type: 'resumeFailed' }
  | { type: 'unknownConversation' }
  | { type: 'submit'; id: string; text: string }
  | { type: 'tooLong' }
  | { type: 'screened'; reply: Reply }
  | { type: 'sending'; id: string }
  | { type: 'acked'; id: string; reply: Reply }
  | { type: 'rejected'; id: string; code: string; withResources?: boolean }
  | { type: 'unreachable' }
  | { type: 'timedOut'; id: string; attempt: number }
  | { type: 'retry'; id: string }
  | { type: 'incoming' }
  | { type: 'staff'; present: boolean }
  | { type: 'cleared' };

const MAX_ANSWERED = 100;
export const MAX_TEXT = 1000;

export function initialState(conversationId: string | null = null, resumeToken: string | null = null): State {
  return {
    connection: 'idle',
    everConnected: false,
    resumed: false,
    conversationId: conversationId && resumeToken ? conversationId : null,
    resumeToken: conversationId && resumeToken ? resumeToken : null,
    flagged: false,
    distress: false,
    unreachable: false,
    staffPresent: false,
    open: false,
    unread: 0,
    outbox: [],
    answered: [],
  };
}

/** What a reply tells about the conversation: its id and secret, the flag, a person present; one more unread. */
function adopt(state: State, reply: Reply): State {
  return {
    ...state,
    conversationId: reply.conversationId || state.conversationId,
    resumeToken: reply.resumeToken ?? state.resumeToken,
    flagged: state.flagged || reply.flagged === true,
    staffPresent: typeof reply.staffPresent === 'boolean' ? reply.staffPresent : state.staffPresent,
    unread: state.open || reply.type === 'relayed' ? state.unread : state.unread + 1,
  };
}

function patchOutgoing(state: State, id: string, when: (o: Outgoing) => boolean, patch: Partial<Outgoing>): State {
  const index = state.outbox.findIndex((o) => o.id === id);
  if (index < 0 || !when(state.outbox[index])) return state;
  const outbox = state.outbox.slice();
  outbox[index] = { ...outbox[index], ...patch };
  return { ...state, outbox };
}

export function reduce(state: State, event: WidgetEvent): State {
  const next = step(state, event);
  // Reachable again: connected, and every message the visitor wrote has been answered (or refused).
  return next.unreachable && isConnected(next) && !hasWaiting(next) ? { ...next, unreachable: false } : next;
}

function step(state: State, event: WidgetEvent): State {
  switch (event.type) {
    case 'open':
      return state.open && state.unread === 0 ? state : { ...state, open: true, unread: 0 };
    case 'close':
      return state.open ? { ...state, open: false } : state;
    case 'connecting':
      return state.connection === 'idle' ? { ...state, connection: 'connecting' } : state;
    case 'connected':
      return {
        ...state,
        connection: state.everConnected ? 'reconnected' : 'online',
        everConnected: true,
        resumed: state.conversationId === null,
      };
    case 'disconnected':
      if (state.connection === 'offline') return state;
      return {
        ...state,
        connection: 'offline',
        resumed: false,
        // Whatever was in flight is sent again (with the same id) once the connection is back.
        outbox: state.outbox.map((o) => (o.status === 'sending' ? { ...o, status: 'queued' } : o)),
      };
    case 'settled':
      return state.connection === 'reconnected' ? { ...state, connection: 'online' } : state;
    case 'resumed':
      return {
        ...state,
        resumed: true,
        conversationId: event.conversationId,
        flagged: state.flagged || event.flagged,
        staffPresent: event.staffPresent,
      };
    case 'resumeFailed':
      return state.resumed ? state : { ...state, resumed: true };
    case 'unknownConversation':
      // The server forgot the conversation: forget its id too; the next message starts a new one.
      // A crisis flag stays for the rest of this page: the resources must not vanish on a restart.
      return { ...state, resumed: true, conversationId: null, resumeToken: null, staffPresent: false };
    case 'submit': {
      // Never cut short: text over the limit is refused whole (the composer keeps it and says why).
      const text = event.text.trim();
      if (!text || text.length > MAX_TEXT || state.outbox.some((o) => o.id === event.id)) return state;
      return { ...state, outbox: [...state.outbox, { id: event.id, text, status: 'queued', attempts: 0 }] };
    }
    case 'tooLong':
      return state.distress ? state : { ...state, distress: true };
    case 'screened':
      // A refused (too long) message the server screened and answered as a crisis: its conversation now.
      return adopt(state, event.reply);
    case 'sending': {
      const current = state.outbox.find((o) => o.id === event.id);
      return patchOutgoing(state, event.id, (o) => o.status === 'queued', {
        status: 'sending',
        attempts: (current?.attempts ?? 0) + 1,
        error: undefined,
      });
    }
    case 'acked': {
      if (!state.outbox.some((o) => o.id === event.id) || state.answered.includes(event.id)) return state;
      return adopt(
        {
          ...state,
          outbox: state.outbox.filter((o) => o.id !== event.id),
          answered: [...state.answered, event.id].slice(-MAX_ANSWERED),
        },
        event.reply,
      );
    }
    case 'rejected': {
      const next = patchOutgoing(state, event.id, (o) => o.status === 'sending', { status: 'failed', error: event.code });
      return next !== state && event.withResources && !next.distress ? { ...next, distress: true } : next;
    }
    case 'timedOut': {
      const next = patchOutgoing(state, event.id, (o) => o.status === 'sending' && o.attempts === event.attempt, {
        status: 'queued',
      });
      // Connected, but no answer in time: the server is not there for this visitor either.
      return next === state || next.unreachable ? next : { ...next, unreachable: true };
    }
    case 'unreachable':
      return state.unreachable || !needsHelp(state) ? state : { ...state, unreachable: true };
    case 'retry':
      return patchOutgoing(state, event.id, (o) => o.status === 'failed', { status: 'queued', error: undefined });
    case 'incoming':
      return state.open ? state : { ...state, unread: state.unread + 1 };
    case 'staff':
      return state.staffPresent === event.present ? state : { ...state, staffPresent: event.present };
    case 'cleared':
      return {
        ...state,
        conversationId: null,
        resumeToken: null,
        flagged: false,
        distress: false,
        staffPresent: false,
        unread: 0,
        outbox: [],
        answered: [],
        resumed: true,
      };
  }
}

function isConnected(state: State): boolean {
  return state.connection === 'online' || state.connection === 'reconnected';
}

/** A message of the visitor's is still on its way (queued or sent, not answered or refused). */
function hasWaiting(state: State): boolean {
  return state.outbox.some((o) => o.status !== 'failed');
}

/** Whether messages can go out now. */
export function canSend(state: State): boolean {
  return isConnected(state) && state.resumed;
}

/**
 * Whether the visitor would be left without help if the server stays away: the widget is trying to
 * connect and never has, or it is disconnected with a message waiting. (Held for a few seconds, this
 * shows the built-in crisis resources.)
 */
export function needsHelp(state: State): boolean {
  return state.connection !== 'idle' && !isConnected(state) && (!state.everConnected || hasWaiting(state));
}

/** The next message to send: the oldest queued one, when nothing else is in flight. */
export function nextToSend(state: State): Outgoing | null {
  if (!canSend(state) || state.outbox.some((o) => o.status === 'sending')) return null;
  return state.outbox.find((o) => o.status === 'queued') ?? null;
}

/** Whether the typing indicator shows: a message is with the server and not answered yet. */
export function isWaiting(state: State): boolean {
  return state.outbox.some((o) => o.status === 'sending');
}

/** What the visitor's bubble says about a message that is not answered yet ('' for nothing). */
export function deliveryNote(state: State, message: Outgoing): 'queued' | 'failed' | 'rateLimited' | '' {
  if (message.status === 'failed') return message.error === 'rate_limited' ? 'rateLimited' : 'failed';
  if (message.status === 'queued' && state.connection === 'offline') return 'queued';
  return '';
}
