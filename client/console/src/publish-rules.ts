import type { Revision } from './editor-protocol.js';
import type { Member } from './protocol.js';

/**
 * Who may publish an entry's latest revision, as the server decides it (README, "Publishing"): an admin;
 * with PUBLISH_BY=second-editor also an editor who wrote no part of the draft. Returns why not, or null.
 * Pure: the console hides the button rather than let the server refuse it (the server still decides).
 */
export function publishRefusal(
  member: Pick<Member, 'id' | 'role'>,
  publishBy: string | null,
  revisions: Revision[],
): string | null {
  if (member.role === 'admin') return null;
  if (member.role !== 'editor' || publishBy !== 'second-editor')
    return 'An admin publishes: your saved draft waits for one to review it.';
  // The draft: the revisions newer than the live one (newest first, as the history lists them).
  const live = revisions.findIndex((r) => r.live);
  const draft = live < 0 ? revisions : revisions.slice(0, live);
  return draft.some((r) => r.author?.id === member.id)
    ? 'You edited this draft, so a second editor (or an admin) must publish it.'
    : null;
}
