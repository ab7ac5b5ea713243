import { escalatesAt, formatClock, formatDuration, pagingLabel } from './format.js';
import type { Flag } from './protocol.js';

/** Who a staff id is, as the console shows it: "you", their email, or "a colleague" until known. */
export function staffName(id: string | null, me: string, staff: Record<string, string>): string {
  if (!id) return 'someone';
  if (id === me) return 'you';
  return staff[id] ?? 'a colleague';
}

/** Where the flag stands: waiting (ticking), or who acknowledged it when. */
export function StatusText({ flag, now, me, staff }: { flag: Flag; now: number; me: string; staff: Record<string, string> }) {
  if (flag.status === 'resolved')
    return (
      <span>
        Resolved by {staffName(flag.resolvedBy, me, staff)} at{' '}
        <time dateTime={flag.resolvedAt ?? ''}>{formatClock(flag.resolvedAt ?? '')}</time>
      </span>
    );
  if (flag.status === 'acknowledged')
    return (
      <span>
        Acknowledged by {staffName(flag.acknowledgedBy, me, staff)} at{' '}
        <time dateTime={flag.acknowledgedAt ?? ''}>{formatClock(flag.acknowledgedAt ?? '')}</time>
      </span>
    );
  return (
    <span class="waiting">
      Not acknowledged, waiting <span class="ticking">{formatDuration(now - Date.parse(flag.createdAt))}</span>
    </span>
  );
}

/** Paging and escalation: whether the pager was reached, and when an unacknowledged flag escalates. */
export function PagingText({ flag, escalationMinutes }: { flag: Flag; escalationMinutes: number | null }) {
  const due = flag.status === 'open' && !flag.escalatedAt ? escalatesAt(flag.createdAt, escalationMinutes) : null;
  return (
    <span>
      <span class={`paging paging-${flag.paging}`}>{pagingLabel(flag.paging)}</span>
      {flag.escalatedAt && (
        <span class="escalation">
          {' · '}Escalated at <time dateTime={flag.escalatedAt}>{formatClock(flag.escalatedAt)}</time>
        </span>
      )}
      {due !== null && (
        <span class="escalation">
          {' · '}Escalates at <time dateTime={new Date(due).toISOString()}>{formatClock(new Date(due).toISOString())}</time>
        </span>
      )}
    </span>
  );
}
