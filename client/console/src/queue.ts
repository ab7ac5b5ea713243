import type { Flag } from './protocol.js';

/** How severe each kind of crisis is (the server's KIND_SEVERITY). */
export const SEVERITY: Record<string, number> = { imminent: 3, disclosure: 2, 'third-party': 1 };

/**
 * Which group a flag sorts into, most urgent first:
 *  0. not acknowledged and its page failed: nobody may have been told, so it sits at the very top;
 *  1. not acknowledged;
 *  2. acknowledged (someone has it; its "paging failed" badge still shows).
 */
export function urgency(flag: Flag): number {
  if (flag.status === 'open') return flag.paging === 'failed' ? 0 : 1;
  return 2;
}

/** Queue order: by urgency group, then the most severe kind, then the oldest (longest waiting). */
export function compareFlags(a: Flag, b: Flag): number {
  return (
    urgency(a) - urgency(b) ||
    (SEVERITY[b.kind] ?? 0) - (SEVERITY[a.kind] ?? 0) ||
    Date.parse(a.createdAt) - Date.parse(b.createdAt) ||
    a.id.localeCompare(b.id)
  );
}

/** The queue: unresolved flags in queue order. */
export function queueOrder(flags: Iterable<Flag>): Flag[] {
  return [...flags].filter((f) => f.status !== 'resolved').sort(compareFlags);
}

/** The header strip's numbers. */
export function queueSummary(
  flags: Flag[],
  now: number,
): {
  open: number;
  unacknowledged: number;
  pagingFailed: number;
  oldestUnacknowledgedMs: number | null;
} {
  const waiting = flags.filter((f) => f.status === 'open');
  const oldest = waiting.reduce<number | null>((min, f) => {
    const at = Date.parse(f.createdAt);
    return min === null || at < min ? at : min;
  }, null);
  return {
    open: flags.length,
    unacknowledged: waiting.length,
    pagingFailed: flags.filter((f) => f.paging === 'failed').length,
    oldestUnacknowledgedMs: oldest === null ? null : Math.max(0, now - oldest),
  };
}

/** The tab's title: the number of open flags first, so it shows in a narrow tab. */
export function tabTitle(openFlags: number): string {
  return openFlags > 0 ? `(${openFlags}) On-call — KAP` : 'On-call — KAP';
}
