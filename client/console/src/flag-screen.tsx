import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { PagingText, StatusText, staffName } from './flag-facts.js';
import { formatClock, kindLabel, languageName, reasonText } from './format.js';
import type { Activity, Turn } from './protocol.js';
import type { OnCall } from './use-on-call.js';
import { useNow } from './use-now.js';

interface Props {
  onCall: OnCall;
  flagId: string;
  me: string;
}

const ACTIVITY_TEXT: Record<Activity['action'], string> = {
  'flag.view': 'opened the flag',
  'flag.acknowledge': 'acknowledged the flag',
  'flag.resolve': 'resolved the flag',
  'conversation.join': 'joined the conversation',
  'conversation.message': 'wrote to the visitor',
  'conversation.leave': 'left the conversation',
};

/** The assistant says nothing while a person is in the conversation: its empty turn is not shown. */
function shown(turn: Turn): boolean {
  return turn.role !== 'bot' || turn.text.trim() !== '';
}

/** Who did something, for the trail: always their email ("… (you)" for this person). */
function actor(id: string | null, me: string, staff: Record<string, string>): string {
  if (!id) return 'someone';
  const email = staff[id] ?? 'a colleague';
  return id === me ? `${email} (you)` : email;
}

function speaker(turn: Turn, me: string, staff: Record<string, string>): string {
  if (turn.role === 'visitor') return 'Visitor';
  if (turn.role === 'bot') return 'Assistant';
  if (turn.role === 'notice') return 'Notice to the visitor';
  const who = staffName(turn.staffId ?? null, me, staff);
  return who === 'you' ? 'You' : `Care team (${who})`;
}

/** One flag: its facts, the live transcript, the actions (acknowledge, join and write, leave, resolve), and its trail. */
export function FlagScreen({ onCall, flagId, me }: Props) {
  const now = useNow();
  const { state } = onCall;
  const open = state.open?.flagId === flagId ? state.open : null;
  const flag = open?.flag ?? null;
  const online = state.connection === 'online';
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reply, setReply] = useState('');
  const [note, setNote] = useState('');
  const [noteProblem, setNoteProblem] = useState<string | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const logRef = useRef<HTMLDivElement>(null);
  const replyRef = useRef<HTMLTextAreaElement>(null);
  const joinRef = useRef<HTMLButtonElement>(null);
  const outcomeRef = useRef<HTMLParagraphElement>(null);
  const noteRef = useRef<HTMLTextAreaElement>(null);

  useEffect(() => headingRef.current?.focus(), [flagId]);

  // Keep the newest turn in view.
  const turns = open?.transcript.length ?? 0;
  useLayoutEffect(() => {
    const log = logRef.current;
    if (log) log.scrollTop = log.scrollHeight;
  }, [turns]);

  const act = async (name: string, work: () => Promise<void>, then?: () => void) => {
    setBusy(name);
    setError(null);
    try {
      await work();
      then?.();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(null);
    }
  };

  const send = (event: Event) => {
    event.preventDefault();
    const text = reply.trim();
    if (!text) return;
    void act(
      'send',
      () => onCall.send(text),
      () => {
        setReply('');
        replyRef.current?.focus();
      },
    );
  };

  const resolve = (event: Event) => {
    event.preventDefault();
    if (!note.trim()) {
      setNoteProblem('Write a note first: what happened, and what was done.');
      noteRef.current?.focus();
      return;
    }
    setNoteProblem(null);
    void act(
      'resolve',
      () => onCall.resolve(note.trim()),
      () => {
        setNote('');
        setTimeout(() => outcomeRef.current?.focus());
      },
    );
  };

  const title = flag ? `${kindLabel(flag.kind)} · ${languageName(flag.locale)}` : 'Flag';
  const resolved = flag?.status === 'resolved';

  return (
    <article class="flag-screen" aria-labelledby="flag-title">
      <p class="back">
        <a href="#queue">← Back to the queue</a>
      </p>
      <h1 id="flag-title" ref={headingRef} tabIndex={-1}>
        {title}
      </h1>
      {open?.error && (
        <p class="banner danger" role="alert">
          {open.error}
        </p>
      )}
      {!flag && !open?.error && <p class="empty">Loading the flag…</p>}
      {flag && (
        <div class="flag-layout">
          <div class="flag-main">
            <section class="panel" aria-labelledby="transcript-title">
              <h2 id="transcript-title">Conversation</h2>
              <div class="transcript" role="log" aria-labelledby="transcript-title" ref={logRef} tabIndex={0}>
                {open && !open.transcript.some(shown) && !open.loading && <p class="empty">No messages stored.</p>}
                <ol>
                  {open?.transcript.filter(shown).map((turn) => (
                    <li key={turn.seq} class={`turn turn-${turn.role}${turn.staffId === me ? ' turn-mine' : ''}`}>
                      <p class="turn-meta">
                        <span class="turn-who">{speaker(turn, me, state.staff)}</span>{' '}
                        <time dateTime={turn.at}>{formatClock(turn.at)}</time>
                      </p>
                      {/* Visitor text is always a text node: never parsed as HTML. */}
                      <p class="turn-text">{turn.text}</p>
                    </li>
                  ))}
                </ol>
              </div>
              {open?.droppedOut && (
                <p class="banner warn" role="status">
                  The connection dropped, so you left the conversation. Join again to keep talking with the visitor.
                </p>
              )}
              {open?.joined && (
                <form class="composer" onSubmit={send}>
                  <label for="reply">Message to the visitor</label>
                  <textarea
                    id="reply"
                    ref={replyRef}
                    rows={3}
                    maxLength={2000}
                    aria-describedby="reply-hint"
                    value={reply}
                    onInput={(e) => setReply(e.currentTarget.value)}
                    onKeyDown={(e) => {
                      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) send(e);
                    }}
                  />
                  <p id="reply-hint" class="hint">
                    The visitor sees this at once. Enter sends, Shift+Enter starts a new line.
                  </p>
                  <button type="submit" class="primary" disabled={!online || busy !== null || !reply.trim()}>
                    Send to visitor
                  </button>
                </form>
              )}
            </section>
          </div>
          <div class="flag-side">
            <section class="panel" aria-labelledby="facts-title">
              <h2 id="facts-title">Flag</h2>
              <dl class="facts">
                <div>
                  <dt>Status</dt>
                  <dd class="status-text">
                    <StatusText flag={flag} now={now} me={me} staff={state.staff} />
                  </dd>
                </div>
                <div>
                  <dt>Kind</dt>
                  <dd>{kindLabel(flag.kind)}</dd>
                </div>
                <div>
                  <dt>Reason</dt>
                  <dd>{reasonText(flag.reason) || '—'}</dd>
                </div>
                <div>
                  <dt>Language</dt>
                  <dd>{languageName(flag.locale)}</dd>
                </div>
                <div>
                  <dt>Raised</dt>
                  <dd>
                    <time dateTime={flag.createdAt}>{formatClock(flag.createdAt)}</time>
                  </dd>
                </div>
                <div>
                  <dt>Paging</dt>
                  <dd>
                    <PagingText flag={flag} escalationMinutes={state.escalationMinutes} />
                  </dd>
                </div>
                {flag.visitorContact && (
                  <div>
                    <dt>Visitor's contact</dt>
                    <dd>{flag.visitorContact}</dd>
                  </div>
                )}
                {!flag.stored && (
                  <div>
                    <dt>Storage</dt>
                    <dd>Not stored yet (the store is down): kept in memory and the server's journal.</dd>
                  </div>
                )}
              </dl>
            </section>
            {!resolved ? (
              <section class="panel actions" aria-labelledby="actions-title">
                <h2 id="actions-title">Actions</h2>
                {error && (
                  <p class="error" role="alert">
                    {error}
                  </p>
                )}
                <div class="buttons">
                  <button
                    type="button"
                    class="primary"
                    disabled={!online || busy !== null || flag.status !== 'open'}
                    onClick={() => act('acknowledge', onCall.acknowledge)}
                  >
                    {flag.status === 'open' ? 'Acknowledge' : 'Acknowledged'}
                  </button>
                  {open?.joined ? (
                    <button
                      type="button"
                      disabled={!online || busy !== null}
                      onClick={() => act('leave', onCall.leave, () => setTimeout(() => joinRef.current?.focus()))}
                    >
                      Leave the conversation
                    </button>
                  ) : (
                    <button
                      type="button"
                      ref={joinRef}
                      aria-describedby="join-hint"
                      disabled={!online || busy !== null}
                      onClick={() => act('join', onCall.join, () => setTimeout(() => replyRef.current?.focus()))}
                    >
                      Join the conversation
                    </button>
                  )}
                </div>
                {!open?.joined && (
                  <p id="join-hint" class="hint">
                    Joining tells the visitor a person from the care team is there, and acknowledges the flag if nobody has.
                  </p>
                )}
                <form class="resolve" onSubmit={resolve} noValidate>
                  <label for="note">Resolution note</label>
                  <textarea
                    id="note"
                    ref={noteRef}
                    rows={3}
                    maxLength={2000}
                    required
                    aria-invalid={noteProblem ? 'true' : undefined}
                    aria-describedby={noteProblem ? 'note-hint note-problem' : 'note-hint'}
                    value={note}
                    onInput={(e) => setNote(e.currentTarget.value)}
                  />
                  <p id="note-hint" class="hint">
                    For the care team's record only: the visitor never sees it. Resolving also leaves the conversation.
                  </p>
                  {noteProblem && (
                    <p id="note-problem" class="error">
                      {noteProblem}
                    </p>
                  )}
                  <button type="submit" disabled={!online || busy !== null}>
                    Resolve flag
                  </button>
                </form>
              </section>
            ) : (
              <section class="panel" aria-labelledby="outcome-title">
                <h2 id="outcome-title">Resolved</h2>
                <p class="outcome" ref={outcomeRef} tabIndex={-1}>
                  Resolved by {staffName(flag.resolvedBy, me, state.staff)} at{' '}
                  <time dateTime={flag.resolvedAt ?? ''}>{formatClock(flag.resolvedAt ?? '')}</time>.
                </p>
                {flag.resolutionNote && <p class="note">Note: {flag.resolutionNote}</p>}
                <p>
                  <a href="#queue">Back to the queue</a>
                </p>
              </section>
            )}
            <section class="panel" aria-labelledby="activity-title">
              <h2 id="activity-title">Activity</h2>
              {open && open.activity.length === 0 ? (
                <p class="empty">Nothing yet.</p>
              ) : (
                <ol class="activity">
                  {open?.activity.map((entry) => (
                    <li key={entry.id}>
                      <time dateTime={entry.at}>{formatClock(entry.at)}</time>{' '}
                      <span class="actor">{actor(entry.staffId, me, state.staff)}</span>{' '}
                      {ACTIVITY_TEXT[entry.action] ?? entry.action}
                      {entry.note && <span class="note">: “{entry.note}”</span>}
                    </li>
                  ))}
                </ol>
              )}
            </section>
          </div>
        </div>
      )}
    </article>
  );
}
