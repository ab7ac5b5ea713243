import type { Activity, Flag, Turn } from './protocol.js';

/**
 * The on-call console's state and the one function that changes it (pure: the socket layer turns
 * server events into actions, the screens read the state).
 */

export type ConnectionState = 'connecting' | 'online' | 'reconnecting';

/** The flag open on screen, with its transcript and trail as far as this console has them. */
export interface OpenFlag {
  flagId: string;
  /** Null until the server has sent it (a `#flag=` link can name a flag not in the queue). */
  flag: Flag | null;
  transcript: Turn[];
  activity: Activity[];
  loading: boolean;
  error: string | null;
  /** This console is in the conversation (the server forgets that when the connection drops). */
  joined: boolean;
  /** The connection dropped while this console was in the conversation, so it left. */
  droppedOut: boolean;
}

export interface OnCallState {
  connection: ConnectionState;
  /** The first queue has arrived. */
  loaded: boolean;
  /** Unresolved flags by id. */
  flags: Record<string, Flag>;
  escalationMinutes: number | null;
  /** Staff emails by id. */
  staff: Record<string, string>;
  open: OpenFlag | null;
}

export type Action =
  | { type: 'connected' }
  | { type: 'disconnected' }
  | { type: 'listed'; flags: Flag[]; escalationMinutes: number }
  | { type: 'flag'; flag: Flag }
  | { type: 'directory'; staff: Array<{ id: string; email: string }> }
  | { type: 'open'; flagId: string }
  | { type: 'close' }
  | { type: 'viewed'; flag: Flag; transcript: Turn[]; activity: Activity[] }
  | { type: 'viewFailed'; flagId: string; message: string }
  | { type: 'turn'; conversationId: string; turn: Turn }
  | { type: 'activity'; activity: Activity }
  | { type: 'joined'; flagId: string; joined: boolean };

export function initialState(): OnCallState {
  return { connection: 'connecting', loaded: false, flags: {}, escalationMinutes: null, staff: {}, open: null };
}

/** Turns by sequence number, each once (a live turn and the same turn in a fetched transcript). */
export function mergeTurns(current: Turn[], incoming: Turn[]): Turn[] {
  const bySeq = new Map<number, Turn>();
  for (const turn of [...current, ...incoming]) bySeq.set(turn.seq, turn);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

/** Trail entries by id, each once, oldest first. */
export function mergeActivity(current: Activity[], incoming: Activity[]): Activity[] {
  const byId = new Map<number, Activity>();
  for (const entry of [...current, ...incoming]) byId.set(entry.id, entry);
  return [...byId.values()].sort((a, b) => a.id - b.id);
}

/** Whether a trail entry belongs to the open flag: on the flag, or on its conversation since it was raised. */
export function belongsTo(activity: Activity, open: OpenFlag): boolean {
  if (activity.flagId) return activity.flagId === open.flagId;
  const flag = open.flag;
  return !!flag && activity.conversationId === flag.conversationId && activity.at >= flag.createdAt;
}

/**
 * The flags to alert about: those not seen before. The first queue after signing in alerts about
 * nothing (they are shown, and the title counts them); later queues (after a reconnection) alert
 * about flags that arrived while the connection was down.
 */
export function unseenFlags(seen: Set<string>, flags: Flag[], first: boolean): Flag[] {
  const fresh = flags.filter((f) => f.status !== 'resolved' && !seen.has(f.id));
  for (const f of flags) seen.add(f.id);
  return first ? [] : fresh;
}

function withFlag(state: OnCallState, flag: Flag): OnCallState {
  const flags = { ...state.flags };
  if (flag.status === 'resolved') delete flags[flag.id];
  else flags[flag.id] = flag;
  const open = state.open?.flagId === flag.id ? { ...state.open, flag } : state.open;
  return { ...state, flags, open };
}

export function reduce(state: OnCallState, action: Action): OnCallState {
  switch (action.type) {
    case 'connected':
      return { ...state, connection: 'online' };
    case 'disconnected': {
      // The server leaves every conversation of a console whose connection drops.
      const open = state.open?.joined ? { ...state.open, joined: false, droppedOut: true } : state.open;
      return { ...state, connection: 'reconnecting', open };
    }
    case 'listed': {
      const flags: Record<string, Flag> = {};
      for (const flag of action.flags) if (flag.status !== 'resolved') flags[flag.id] = flag;
      const listed = state.open ? action.flags.find((f) => f.id === state.open!.flagId) : undefined;
      const open = state.open && listed ? { ...state.open, flag: listed } : state.open;
      return { ...state, loaded: true, flags, escalationMinutes: action.escalationMinutes, open };
    }
    case 'flag':
      return withFlag(state, action.flag);
    case 'directory':
      return { ...state, staff: Object.fromEntries(action.staff.map((s) => [s.id, s.email])) };
    case 'open':
      if (state.open?.flagId === action.flagId) return { ...state, open: { ...state.open, loading: true, error: null } };
      return {
        ...state,
        open: {
          flagId: action.flagId,
          flag: state.flags[action.flagId] ?? null,
          transcript: [],
          activity: [],
          loading: true,
          error: null,
          joined: false,
          droppedOut: false,
        },
      };
    case 'close':
      return { ...state, open: null };
    case 'viewed': {
      if (state.open?.flagId !== action.flag.id) return withFlag(state, action.flag);
      const open: OpenFlag = {
        ...state.open,
        flag: action.flag,
        transcript: mergeTurns(state.open.transcript, action.transcript),
        activity: mergeActivity(state.open.activity, action.activity),
        loading: false,
        error: null,
      };
      return withFlag({ ...state, open }, action.flag);
    }
    case 'viewFailed':
      if (state.open?.flagId !== action.flagId) return state;
      return { ...state, open: { ...state.open, loading: false, error: action.message } };
    case 'turn':
      if (!state.open?.flag || state.open.flag.conversationId !== action.conversationId) return state;
      return { ...state, open: { ...state.open, transcript: mergeTurns(state.open.transcript, [action.turn]) } };
    case 'activity':
      if (!state.open || !belongsTo(action.activity, state.open)) return state;
      return { ...state, open: { ...state.open, activity: mergeActivity(state.open.activity, [action.activity]) } };
    case 'joined':
      if (state.open?.flagId !== action.flagId) return state;
      return { ...state, open: { ...state.open, joined: action.joined, droppedOut: false } };
  }
}
