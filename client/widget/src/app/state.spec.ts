import type { Reply } from '../shared/protocol.js';
import {
  canSend,
  deliveryNote,
  initialState,
  isWaiting,
  MAX_TEXT,
  needsHelp,
  nextToSend,
  reduce,
  type State,
  type WidgetEvent,
} from './state.js';

const reply = (over: Partial<Reply> = {}): Reply => ({
  conversationId: 'c-1',
  type: 'answer',
  risk: 'none',
  crisisKind: null,
  entryId: 'what-is-kap',
  question: 'What is KAP?',
  html: '<p>An answer.</p>',
  sources: [],
  evidence: null,
  suggestions: [],
  resources: [],
  disclaimer: 'Not medical advice.',
  flagged: false,
  staffPresent: false,
  ...over,
});

const run = (state: State, ...events: WidgetEvent[]) => events.reduce(reduce, state);
const online = (state = initialState()) => run(state, { type: 'connecting' }, { type: 'connected' });

describe('widget state machine', () => {
  it('starts idle, closed, with no conversation unless one was stored', () => {
    expect(initialState()).toMatchObject({ connection: 'idle', conversationId: null, open: false, unread: 0, outbox: [] });
    expect(initialState('c-9', 't-9')).toMatchObject({ conversationId: 'c-9', resumeToken: 't-9' });
    // An id without its secret is useless: the server would not continue that conversation.
    expect(initialState('c-9').conversationId).toBeNull();
  });

  it('goes connecting -> online, and offline -> reconnected -> online', () => {
    let s = run(initialState(), { type: 'connecting' });
    expect(s.connection).toBe('connecting');
    s = reduce(s, { type: 'connected' });
    expect(s.connection).toBe('online');
    s = reduce(s, { type: 'disconnected' });
    expect(s.connection).toBe('offline');
    s = reduce(s, { type: 'connected' });
    expect(s.connection).toBe('reconnected');
    s = reduce(s, { type: 'settled' });
    expect(s.connection).toBe('online');
  });

  it('queues messages trimmed, ignores empty ones, and refuses (never cuts) one over 1000 characters', () => {
    let s = run(initialState(), { type: 'submit', id: 'a', text: '  What is KAP?  ' });
    expect(s.outbox).toEqual([{ id: 'a', text: 'What is KAP?', status: 'queued', attempts: 0 }]);
    expect(run(s, { type: 'submit', id: 'b', text: '   ' })).toBe(s);
    expect(run(s, { type: 'submit', id: 'a', text: 'again' })).toBe(s);
    expect(run(s, { type: 'submit', id: 'c', text: 'x'.repeat(MAX_TEXT + 1) })).toBe(s);
    s = run(s, { type: 'submit', id: 'd', text: ` ${'x'.repeat(MAX_TEXT)} ` });
    expect(s.outbox[1].text).toHaveLength(MAX_TEXT);
  });

  it('keeps the resources after an over-long message, and takes the conversation of one the server screened as a crisis', () => {
    let s = reduce(online(), { type: 'tooLong' });
    expect(s.distress).toBe(true);
    expect(reduce(s, { type: 'tooLong' })).toBe(s);
    s = reduce(s, {
      type: 'screened',
      reply: reply({ type: 'crisis', conversationId: 'c-5', resumeToken: 't-5', flagged: true }),
    });
    expect(s).toMatchObject({ conversationId: 'c-5', resumeToken: 't-5', flagged: true, distress: true, outbox: [] });
  });

  it('sends nothing before the connection is up', () => {
    const s = run(initialState(), { type: 'submit', id: 'a', text: 'hi' }, { type: 'connecting' });
    expect(canSend(s)).toBe(false);
    expect(nextToSend(s)).toBeNull();
  });

  it('waits for the conversation to be resumed before sending in it', () => {
    let s = online(initialState('c-1', 't-1'));
    s = reduce(s, { type: 'submit', id: 'a', text: 'hi' });
    expect(s.resumed).toBe(false);
    expect(nextToSend(s)).toBeNull();
    s = reduce(s, { type: 'resumed', conversationId: 'c-1', flagged: true, staffPresent: true });
    expect(nextToSend(s)?.id).toBe('a');
    expect(s).toMatchObject({ flagged: true, staffPresent: true });
  });

  it('sends one message at a time, in order, and takes the conversation id from the first reply', () => {
    let s = run(online(), { type: 'submit', id: 'a', text: 'one' }, { type: 'submit', id: 'b', text: 'two' });
    expect(nextToSend(s)?.id).toBe('a');
    s = reduce(s, { type: 'sending', id: 'a' });
    expect(isWaiting(s)).toBe(true);
    expect(nextToSend(s)).toBeNull();
    s = reduce(s, { type: 'acked', id: 'a', reply: reply({ conversationId: 'c-7' }) });
    expect(s.conversationId).toBe('c-7');
    expect(s.outbox.map((o) => o.id)).toEqual(['b']);
    expect(nextToSend(s)?.id).toBe('b');
  });

  it('ignores a second acknowledgement for the same message (never shown twice)', () => {
    let s = run(online(), { type: 'submit', id: 'a', text: 'one' }, { type: 'sending', id: 'a' });
    s = reduce(s, { type: 'acked', id: 'a', reply: reply() });
    expect(reduce(s, { type: 'acked', id: 'a', reply: reply() })).toBe(s);
    // ...even if the same id were somehow queued again.
    const requeued = { ...s, outbox: [{ id: 'a', text: 'one', status: 'sending' as const, attempts: 2 }] };
    expect(reduce(requeued, { type: 'acked', id: 'a', reply: reply() })).toBe(requeued);
  });

  it('puts a message in flight back in the queue on disconnect, keeps its id, and resends it after reconnecting', () => {
    let s = run(online(), { type: 'submit', id: 'a', text: 'one' }, { type: 'sending', id: 'a' }, { type: 'disconnected' });
    expect(s.outbox).toEqual([{ id: 'a', text: 'one', status: 'queued', attempts: 1, error: undefined }]);
    expect(deliveryNote(s, s.outbox[0])).toBe('queued');
    expect(nextToSend(s)).toBeNull();
    s = run(s, { type: 'connected' });
    expect(nextToSend(s)?.id).toBe('a');
    s = reduce(s, { type: 'sending', id: 'a' });
    expect(s.outbox[0].attempts).toBe(2);
    expect(deliveryNote(s, s.outbox[0])).toBe('');
  });

  it('a time-out of an earlier attempt does not disturb the current one', () => {
    let s = run(
      online(),
      { type: 'submit', id: 'a', text: 'one' },
      { type: 'sending', id: 'a' },
      { type: 'disconnected' },
      { type: 'connected' },
    );
    s = reduce(s, { type: 'sending', id: 'a' });
    expect(reduce(s, { type: 'timedOut', id: 'a', attempt: 1 })).toBe(s);
    expect(reduce(s, { type: 'timedOut', id: 'a', attempt: 2 }).outbox[0].status).toBe('queued');
  });

  it('marks a rejected message as failed (rate limit told apart), and retries it on request', () => {
    let s = run(
      online(),
      { type: 'submit', id: 'a', text: 'one' },
      { type: 'sending', id: 'a' },
      { type: 'rejected', id: 'a', code: 'rate_limited' },
    );
    expect(s.outbox[0]).toMatchObject({ status: 'failed', error: 'rate_limited' });
    expect(deliveryNote(s, s.outbox[0])).toBe('rateLimited');
    expect(nextToSend(s)).toBeNull();
    s = reduce(s, { type: 'retry', id: 'a' });
    expect(nextToSend(s)?.id).toBe('a');
    const failed = run(
      online(),
      { type: 'submit', id: 'b', text: 'x' },
      { type: 'sending', id: 'b' },
      { type: 'rejected', id: 'b', code: 'internal_error' },
    );
    expect(deliveryNote(failed, failed.outbox[0])).toBe('failed');
  });

  it('keeps the crisis flag for the rest of the conversation', () => {
    let s = run(online(), { type: 'submit', id: 'a', text: 'x' }, { type: 'sending', id: 'a' });
    s = reduce(s, { type: 'acked', id: 'a', reply: reply({ type: 'crisis', flagged: true }) });
    expect(s.flagged).toBe(true);
    s = run(
      s,
      { type: 'submit', id: 'b', text: 'y' },
      { type: 'sending', id: 'b' },
      { type: 'acked', id: 'b', reply: reply({ flagged: false }) },
    );
    expect(s.flagged).toBe(true);
    s = reduce(s, { type: 'resumed', conversationId: 'c-1', flagged: false, staffPresent: false });
    expect(s.flagged).toBe(true);
    // ...also when the server has forgotten the conversation (the resources must not vanish on a restart).
    s = reduce(s, { type: 'unknownConversation' });
    expect(s).toMatchObject({ flagged: true, conversationId: null, resumed: true });
    // Only clearing the conversation ends it.
    expect(reduce(s, { type: 'cleared' })).toMatchObject({ flagged: false, conversationId: null, outbox: [] });
  });

  it('counts replies and staff messages that arrive while closed, but not relayed acknowledgements', () => {
    let s = run(online(), { type: 'submit', id: 'a', text: 'x' }, { type: 'sending', id: 'a' });
    s = reduce(s, { type: 'acked', id: 'a', reply: reply() });
    expect(s.unread).toBe(1);
    s = reduce(s, { type: 'incoming' });
    expect(s.unread).toBe(2);
    s = run(
      s,
      { type: 'submit', id: 'b', text: 'y' },
      { type: 'sending', id: 'b' },
      { type: 'acked', id: 'b', reply: reply({ type: 'relayed', html: '', staffPresent: true }) },
    );
    expect(s).toMatchObject({ unread: 2, staffPresent: true });
    s = reduce(s, { type: 'open' });
    expect(s.unread).toBe(0);
    expect(reduce(s, { type: 'incoming' }).unread).toBe(0);
    expect(reduce(s, { type: 'open' })).toBe(s);
  });

  it('tracks a staff member joining and leaving', () => {
    const s = reduce(online(), { type: 'staff', present: true });
    expect(s.staffPresent).toBe(true);
    expect(reduce(s, { type: 'staff', present: true })).toBe(s);
    expect(reduce(s, { type: 'staff', present: false }).staffPresent).toBe(false);
  });

  it('needs help when it never connects, or is disconnected with a message waiting', () => {
    const connecting = reduce(initialState(), { type: 'connecting' });
    expect(needsHelp(initialState())).toBe(false); // never opened: nothing to help with yet
    expect(needsHelp(connecting)).toBe(true);
    expect(needsHelp(reduce(connecting, { type: 'disconnected' }))).toBe(true);
    const dropped = reduce(online(), { type: 'disconnected' });
    expect(needsHelp(dropped)).toBe(false); // it was there a moment ago, and nobody is waiting on it
    expect(needsHelp(reduce(dropped, { type: 'submit', id: 'a', text: 'hello?' }))).toBe(true);
    expect(needsHelp(online())).toBe(false);
  });

  it('is unreachable only while help is needed, and reachable again once every message is answered', () => {
    expect(reduce(online(), { type: 'unreachable' })).toEqual(online());
    let s = run(online(), { type: 'disconnected' }, { type: 'submit', id: 'a', text: 'hello?' }, { type: 'unreachable' });
    expect(s.unreachable).toBe(true);
    expect(reduce(s, { type: 'unreachable' })).toBe(s);
    // Connected again, the message not answered yet: still unreachable for this visitor.
    s = run(s, { type: 'connected' }, { type: 'sending', id: 'a' });
    expect(s.unreachable).toBe(true);
    s = reduce(s, { type: 'acked', id: 'a', reply: reply() });
    expect(s.unreachable).toBe(false);
    // Never connected: reachable as soon as it connects.
    const never = run(initialState(), { type: 'connecting' }, { type: 'disconnected' }, { type: 'unreachable' });
    expect(never.unreachable).toBe(true);
    expect(reduce(never, { type: 'connected' }).unreachable).toBe(false);
  });

  it('is unreachable when a sent message is not answered in time, though connected', () => {
    let s = run(online(), { type: 'submit', id: 'a', text: 'x' }, { type: 'sending', id: 'a' });
    s = reduce(s, { type: 'timedOut', id: 'a', attempt: 1 });
    expect(s).toMatchObject({ unreachable: true, connection: 'online' });
    s = run(s, { type: 'sending', id: 'a' }, { type: 'acked', id: 'a', reply: reply() });
    expect(s.unreachable).toBe(false);
  });

  it('keeps the resources after a refusal that carried them, until the conversation is cleared', () => {
    const refused = (withResources: boolean) =>
      run(
        online(),
        { type: 'submit', id: 'a', text: 'I feel hopeless' },
        { type: 'sending', id: 'a' },
        { type: 'rejected', id: 'a', code: 'rate_limited', withResources },
      );
    expect(refused(false).distress).toBe(false);
    let s = refused(true);
    expect(s.distress).toBe(true);
    s = run(s, { type: 'retry', id: 'a' }, { type: 'sending', id: 'a' }, { type: 'acked', id: 'a', reply: reply() });
    expect(s.distress).toBe(true);
    expect(reduce(s, { type: 'cleared' }).distress).toBe(false);
  });
});
