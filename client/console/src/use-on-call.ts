import { useEffect, useReducer, useRef } from 'preact/hooks';
import { connectStaff, type StaffConnection } from './connection.js';
import type { AlertEvent, Flag } from './protocol.js';
import { initialState, reduce, unseenFlags, type OnCallState } from './state.js';

export interface OnCallEvents {
  /** A flag this console had not seen: alert the person. */
  newFlag(flag: Flag): void;
  /** The visitor in a conversation this console is in wrote a crisis message. */
  alert(event: AlertEvent): void;
  sessionEnded(): void;
  forbidden(): void;
}

export interface OnCall {
  state: OnCallState;
  /** Closes the connection for good (before signing out, so the ended session is not reported). */
  stop(): void;
  open(flagId: string): void;
  close(): void;
  acknowledge(): Promise<void>;
  /** Joins the open flag's conversation (acknowledging the flag first if nobody has). */
  join(): Promise<void>;
  leave(): Promise<void>;
  send(text: string): Promise<void>;
  /** Resolves the open flag with a note (leaving its conversation first if this console is in it). */
  resolve(note: string): Promise<void>;
}

/**
 * The on-call queue, kept live over the `/staff` socket while `enabled` (the signed-in role may see
 * it): the flags, the open flag's transcript and trail, and the actions on it. After every
 * (re)connection it fetches the queue, the staff directory and the open flag again, so nothing that
 * happened while the connection was down is missed.
 */
export function useOnCall(enabled: boolean, events: OnCallEvents): OnCall {
  const [state, dispatch] = useReducer(reduce, undefined, initialState);
  const stateRef = useRef(state);
  stateRef.current = state;
  const eventsRef = useRef(events);
  eventsRef.current = events;
  const connection = useRef<StaffConnection | null>(null);

  const view = async (flagId: string) => {
    const conn = connection.current;
    if (!conn) return;
    try {
      const { flag, transcript, activity } = await conn.request('flag:view', { id: flagId });
      dispatch({ type: 'viewed', flag, transcript, activity });
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'offline') return; // loaded again on connection
      dispatch({
        type: 'viewFailed',
        flagId,
        message: code === 'not_found' ? 'There is no such flag.' : (err as Error).message,
      });
    }
  };

  useEffect(() => {
    if (!enabled) return;
    const seen = new Set<string>();
    let first = true;
    let directoryLoading: Promise<void> | null = null;
    const loadDirectory = () =>
      (directoryLoading ??= conn
        .request('staff:directory')
        .then(({ staff }) => dispatch({ type: 'directory', staff }))
        .catch(() => undefined)
        .finally(() => (directoryLoading = null)));
    const knowStaff = (...ids: Array<string | null | undefined>) => {
      if (ids.some((id) => id && !(id in stateRef.current.staff))) void loadDirectory();
    };

    const refresh = async () => {
      void loadDirectory();
      try {
        const { flags, escalationMinutes } = await conn.request('flags:list');
        const fresh = unseenFlags(seen, flags, first);
        first = false;
        dispatch({ type: 'listed', flags, escalationMinutes });
        for (const flag of fresh) eventsRef.current.newFlag(flag);
      } catch {
        // Offline again or the session ended: the next connection (or the sign-in page) follows.
      }
      const open = stateRef.current.open;
      if (open) await view(open.flagId);
    };

    const conn = connectStaff({
      connected: () => {
        dispatch({ type: 'connected' });
        void refresh();
      },
      disconnected: () => dispatch({ type: 'disconnected' }),
      flag: (flag, isNew) => {
        const unseen = !seen.has(flag.id);
        seen.add(flag.id);
        dispatch({ type: 'flag', flag });
        knowStaff(flag.acknowledgedBy, flag.resolvedBy);
        if (isNew && unseen && !first) eventsRef.current.newFlag(flag);
      },
      turn: (event) => {
        dispatch({ type: 'turn', conversationId: event.conversationId, turn: event.turn });
        knowStaff(event.turn.staffId);
      },
      activity: (activity) => {
        dispatch({ type: 'activity', activity });
        knowStaff(activity.staffId);
      },
      alert: (event) => eventsRef.current.alert(event),
      sessionEnded: () => eventsRef.current.sessionEnded(),
      forbidden: () => eventsRef.current.forbidden(),
    });
    connection.current = conn;
    return () => {
      connection.current = null;
      conn.close();
    };
  }, [enabled]);

  const request: StaffConnection['request'] = (event, ...body) => {
    const conn = connection.current;
    if (!conn) return Promise.reject(new Error('Not connected.'));
    return conn.request(event, ...body);
  };
  const openFlag = () => {
    const flag = stateRef.current.open?.flag;
    if (!flag) throw new Error('The flag is still loading.');
    return flag;
  };

  return {
    state,
    stop() {
      connection.current?.close();
      connection.current = null;
    },
    open(flagId) {
      dispatch({ type: 'open', flagId });
      void view(flagId);
    },
    close() {
      dispatch({ type: 'close' });
    },
    async acknowledge() {
      const { flag } = await request('flag:acknowledge', { id: openFlag().id });
      dispatch({ type: 'flag', flag });
    },
    async join() {
      const flag = openFlag();
      if (flag.status === 'open') dispatch({ type: 'flag', flag: (await request('flag:acknowledge', { id: flag.id })).flag });
      await request('conversation:join', { conversationId: flag.conversationId });
      dispatch({ type: 'joined', flagId: flag.id, joined: true });
    },
    async leave() {
      const flag = openFlag();
      await request('conversation:leave', { conversationId: flag.conversationId });
      dispatch({ type: 'joined', flagId: flag.id, joined: false });
    },
    async send(text) {
      await request('conversation:message', { conversationId: openFlag().conversationId, text });
    },
    async resolve(note) {
      const flag = openFlag();
      if (stateRef.current.open?.joined) {
        await request('conversation:leave', { conversationId: flag.conversationId });
        dispatch({ type: 'joined', flagId: flag.id, joined: false });
      }
      dispatch({ type: 'flag', flag: (await request('flag:resolve', { id: flag.id, note })).flag });
    },
  };
}
