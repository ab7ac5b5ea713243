import type { Flag } from './protocol.js';
import { compareFlags, queueOrder, queueSummary, tabTitle, urgency } from './queue.js';

let n = 0;
function flag(overrides: Partial<Flag>): Flag {
  n++;
  return {
    id: `f${n}`,
    conversationId: `c${n}`,
    locale: 'en',
    level: 'crisis',
    kind: 'disclosure',
    reason: 'suicidal-ideation',
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
    paging: 'delivered',
    stored: true,
    ...overrides,
  };
}

describe('the on-call queue order', () => {
  it('puts unacknowledged flags whose paging failed first, then unacknowledged, then acknowledged', () => {
    expect(urgency(flag({ paging: 'failed' }))).toBe(0);
    expect(urgency(flag({}))).toBe(1);
    expect(urgency(flag({ status: 'acknowledged', paging: 'failed' }))).toBe(2);
  });

  it('orders most urgent, then most severe, then oldest first, and leaves resolved flags out', () => {
    const failedDisclosure = flag({ kind: 'third-party', paging: 'failed', createdAt: '2026-11-29T10:05:00.000Z' });
    const imminentNew = flag({ kind: 'imminent', createdAt: '2026-11-29T10:04:00.000Z' });
    const imminentOld = flag({ kind: 'imminent', createdAt: '2026-11-29T10:01:00.000Z' });
    const disclosureOld = flag({ kind: 'disclosure', createdAt: '2026-11-29T09:00:00.000Z' });
    const thirdParty = flag({ kind: 'third-party', createdAt: '2026-11-29T08:00:00.000Z' });
    const acknowledgedImminent = flag({ kind: 'imminent', status: 'acknowledged', createdAt: '2026-11-29T07:00:00.000Z' });
    const acknowledgedFailed = flag({ kind: 'disclosure', status: 'acknowledged', paging: 'failed' });
    const resolved = flag({ kind: 'imminent', status: 'resolved', paging: 'failed' });
    const ordered = queueOrder([
      thirdParty,
      acknowledgedFailed,
      resolved,
      imminentNew,
      disclosureOld,
      acknowledgedImminent,
      failedDisclosure,
      imminentOld,
    ]);
    expect(ordered.map((f) => f.id)).toEqual(
      [failedDisclosure, imminentOld, imminentNew, disclosureOld, thirdParty, acknowledgedImminent, acknowledgedFailed].map(
        (f) => f.id,
      ),
    );
  });

  it('treats an unknown kind as least severe and breaks exact ties by id, so the order is stable', () => {
    const a = flag({ id: 'a', kind: 'something-new' });
    const b = flag({ id: 'b', kind: 'third-party' });
    expect(compareFlags(a, b)).toBeGreaterThan(0);
    const c = flag({ id: 'c' });
    const d = flag({ id: 'd' });
    expect([d, c].sort(compareFlags).map((f) => f.id)).toEqual(['c', 'd']);
  });
});

describe('the queue summary and the tab title', () => {
  it('counts open, unacknowledged and failed-paging flags, and how long the oldest unacknowledged one waits', () => {
    const now = Date.parse('2026-11-29T10:10:00.000Z');
    const flags = [
      flag({ createdAt: '2026-11-29T10:07:30.000Z' }),
      flag({ createdAt: '2026-11-29T10:09:00.000Z', paging: 'failed' }),
      flag({ status: 'acknowledged', createdAt: '2026-11-29T09:00:00.000Z' }),
    ];
    expect(queueSummary(flags, now)).toEqual({ open: 3, unacknowledged: 2, pagingFailed: 1, oldestUnacknowledgedMs: 150_000 });
    expect(queueSummary([flag({ status: 'acknowledged' })], now).oldestUnacknowledgedMs).toBeNull();
  });

  it('puts the count of open flags first in the title', () => {
    expect(tabTitle(3)).toBe('(3) On-call — KAP');
    expect(tabTitle(0)).toBe('On-call — KAP');
  });
});
