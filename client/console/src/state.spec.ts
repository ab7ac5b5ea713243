import type { Activity, Flag, Turn } from './protocol.js';
import { belongsTo, initialState, mergeActivity, mergeTurns, reduce, unseenFlags, type OnCallState } from './state.js';

const base: Flag = {
  id: 'f1',
  conversationId: 'c1',
  locale: 'en',
  level: 'crisis',
  kind: 'disclosure',
  reason: 'r',
  status: 'open',
  createdAt: '2026-11-29T10:00:00.000Z',
  updatedAt: '2026-11-29T10:00:00.000Z',
  acknowledgedAt: null,
  acknowledgedBy: null,
  escalatedAt: null,
  resolvedAt: null,
  resolvedBy: null,
  resolutionNote: null,
  visitorContact: null,
  paging: 'pending',
  stored: true,
};
const turn = (seq: number, text = `t${seq}`): Turn => ({ seq, role: 'visitor', text, at: '2026-11-29T10:00:00.000Z' });
const activity = (id: number, over: Partial<Activity> = {}): Activity => ({
  id,
  at: '2026-11-29T10:01:00.000Z',
  action: 'flag.view',
  staffId: 's1',
  flagId: 'f1',
  conversationId: 'c1',
  ...over,
});

function run(...actions: Parameters<typeof reduce>[1][]): OnCallState {
  return actions.reduce(reduce, initialState());
}

describe('the on-call state', () => {
  it('merges live and fetched turns and trail entries once each, in order', () => {
    expect(mergeTurns([turn(1), turn(3)], [turn(2), turn(3, 'again')]).map((t) => [t.seq, t.text])).toEqual([
      [1, 't1'],
      [2, 't2'],
      [3, 'again'],
    ]);
    expect(mergeActivity([activity(5), activity(2)], [activity(2), activity(9)]).map((a) => a.id)).toEqual([2, 5, 9]);
  });

  it('keeps unresolved flags; a resolution takes a flag out of the queue but not off the open screen', () => {
    const state = run(
      { type: 'listed', flags: [base, { ...base, id: 'f2', status: 'resolved' }], escalationMinutes: 5 },
      { type: 'open', flagId: 'f1' },
      { type: 'flag', flag: { ...base, status: 'resolved', resolvedBy: 's1' } },
    );
    expect(Object.keys(state.flags)).toEqual([]);
    expect(state.open?.flag?.status).toBe('resolved');
    expect(state.escalationMinutes).toBe(5);
  });

  it('adds live turns and trail entries of the open flag only', () => {
    const state = run(
      { type: 'listed', flags: [base], escalationMinutes: 5 },
      { type: 'open', flagId: 'f1' },
      { type: 'viewed', flag: base, transcript: [turn(1)], activity: [activity(1)] },
      { type: 'turn', conversationId: 'c1', turn: turn(2) },
      { type: 'turn', conversationId: 'other', turn: turn(7) },
      { type: 'activity', activity: activity(2, { action: 'conversation.join', flagId: null }) },
      { type: 'activity', activity: activity(3, { flagId: 'f9', conversationId: 'c9' }) },
    );
    expect(state.open?.transcript.map((t) => t.seq)).toEqual([1, 2]);
    expect(state.open?.activity.map((a) => a.id)).toEqual([1, 2]);
  });

  it('counts conversation actions from before the flag was raised as another flag’s', () => {
    const open = run({ type: 'listed', flags: [base], escalationMinutes: 5 }, { type: 'open', flagId: 'f1' }).open!;
    expect(belongsTo(activity(1, { flagId: null, at: '2026-11-29T09:59:59.000Z' }), open)).toBe(false);
    expect(belongsTo(activity(1, { flagId: null, at: '2026-11-29T10:00:00.000Z' }), open)).toBe(true);
  });

  it('forgets that this console was in the conversation when the connection drops, and says so', () => {
    const state = run(
      { type: 'listed', flags: [base], escalationMinutes: 5 },
      { type: 'open', flagId: 'f1' },
      { type: 'joined', flagId: 'f1', joined: true },
      { type: 'disconnected' },
    );
    expect(state.connection).toBe('reconnecting');
    expect(state.open).toMatchObject({ joined: false, droppedOut: true });
    expect(reduce(state, { type: 'joined', flagId: 'f1', joined: true }).open).toMatchObject({ joined: true, droppedOut: false });
  });

  it('alerts about flags not seen before, except those in the first queue after signing in', () => {
    const seen = new Set<string>();
    expect(unseenFlags(seen, [base], true)).toEqual([]);
    const later = { ...base, id: 'f2' };
    const resolved = { ...base, id: 'f3', status: 'resolved' as const };
    expect(unseenFlags(seen, [base, later, resolved], false).map((f) => f.id)).toEqual(['f2']);
    expect(unseenFlags(seen, [base, later], false)).toEqual([]);
  });
});
