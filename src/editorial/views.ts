import type { StaffMember } from '../staff/staff.service.js';
import type { EntryState, Revision } from './corpus-store.js';
import { isoDay } from './entry-content.js';

/**
 * `published`: the latest revision is live. `draft`: a newer revision waits to be published.
 * `new`: never published. `retiring`: a retirement waits to be published. `retired`: not answered from.
 */
export type EntryStatus = 'published' | 'draft' | 'new' | 'retiring' | 'retired';

export function entryStatus(state: EntryState, head: Revision, live: Revision | null): EntryStatus {
  if (state.head === state.live) return head.content ? 'published' : 'retired';
  if (!head.content) return 'retiring';
  return live?.content ? 'draft' : 'new';
}

export type People = Map<string, StaffMember>;
const person = (people: People, id: string | null) => {
  if (!id) return null;
  const m = people.get(id);
  return { id, email: m?.email ?? null };
};

/** A revision as the API shows it (without its content). */
export function revisionView(r: Revision, state: EntryState, people: People) {
  return {
    revision: r.id,
    number: r.number,
    parent: r.parentId,
    kind: r.kind,
    retired: r.content === null,
    changes: r.changes,
    note: r.note,
    author: person(people, r.authorId),
    createdAt: r.createdAt,
    published: r.publishedAt ? { at: r.publishedAt, by: person(people, r.publishedBy) } : null,
    publishDetail: r.publishDetail,
    head: r.id === state.head,
    live: r.id === state.live,
    baseline: r.id === state.baseline,
  };
}

/** One entry in the list. Question and dates from the latest revision (or the live one when retiring). */
export function entrySummary(state: EntryState, head: Revision, live: Revision | null, people: People, today = isoDay()) {
  const shown = head.content ?? live?.content ?? null;
  const liveContent = live?.content ?? null;
  return {
    id: state.entryId,
    locale: state.locale,
    question: shown?.question ?? null,
    status: entryStatus(state, head, live),
    revision: state.head,
    liveRevision: state.live,
    /** Who made the pending draft: the baseline (knowledge/ changed) or staff. */
    draftFrom: state.head === state.live ? null : head.kind === 'baseline' ? 'baseline' : 'staff',
    updatedAt: head.createdAt,
    updatedBy: person(people, head.authorId),
    reviewed: liveContent?.reviewed ?? null,
    reviewBy: liveContent?.reviewBy ?? null,
    dueForReview: liveContent !== null && liveContent.reviewBy < today,
  };
}
