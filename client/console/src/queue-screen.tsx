import { useEffect, useRef } from 'preact/hooks';
import { PagingText, StatusText } from './flag-facts.js';
import { formatClock, formatDuration, kindLabel, languageName, reasonText } from './format.js';
import { queueOrder, queueSummary } from './queue.js';
import { routeHref } from './routes.js';
import type { OnCall } from './use-on-call.js';
import { useNow } from './use-now.js';

interface Props {
  onCall: OnCall;
  me: string;
  /** The flag that was open before: its link gets the focus back. */
  returnTo: string | null;
}

/** The on-call queue: unresolved flags, most urgent first, live. */
export function QueueScreen({ onCall, me, returnTo }: Props) {
  const now = useNow();
  const { state } = onCall;
  const flags = queueOrder(Object.values(state.flags));
  const summary = queueSummary(flags, now);
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    const link = returnTo ? document.querySelector<HTMLElement>(`[data-flag="${CSS.escape(returnTo)}"]`) : null;
    (link ?? headingRef.current)?.focus();
  }, []);

  return (
    <section class="queue-screen" aria-labelledby="queue-title">
      <h1 id="queue-title" ref={headingRef} tabIndex={-1}>
        On-call queue
      </h1>
      <p class="strip" aria-label="Queue summary">
        <span>
          <strong>{summary.open}</strong> open {summary.open === 1 ? 'flag' : 'flags'}
        </span>
        <span>
          <strong>{summary.unacknowledged}</strong> not acknowledged
        </span>
        {summary.oldestUnacknowledgedMs !== null && (
          <span>
            oldest waiting <strong class="ticking">{formatDuration(summary.oldestUnacknowledgedMs)}</strong>
          </span>
        )}
      </p>
      {summary.pagingFailed > 0 && (
        <p class="banner danger">
          <strong>Paging failed</strong> for {summary.pagingFailed} {summary.pagingFailed === 1 ? 'flag' : 'flags'}: the pager
          could not be reached, so the on-call person may not know. Those flags stay at the top until someone acknowledges them.
        </p>
      )}
      {!state.loaded ? (
        <p class="empty">Loading the queue…</p>
      ) : flags.length === 0 ? (
        <p class="empty">
          No open flags. A new flag appears here at once, with a sound and (when turned on) a desktop notification.
        </p>
      ) : (
        <ol class="queue">
          {flags.map((flag) => (
            <li key={flag.id} class={`flag kind-${flag.kind} status-${flag.status}${flag.paging === 'failed' ? ' failed' : ''}`}>
              <a class="flag-link" href={routeHref({ screen: 'queue', flagId: flag.id })} data-flag={flag.id}>
                <span class="kind">{kindLabel(flag.kind)}</span>
                <span class="raised">
                  {' '}
                  — raised at <time dateTime={flag.createdAt}>{formatClock(flag.createdAt)}</time>
                </span>
              </a>
              <dl class="facts">
                <div>
                  <dt>Status</dt>
                  <dd>
                    <StatusText flag={flag} now={now} me={me} staff={state.staff} />
                  </dd>
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
                  <dt>Paging</dt>
                  <dd>
                    <PagingText flag={flag} escalationMinutes={state.escalationMinutes} />
                  </dd>
                </div>
              </dl>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
