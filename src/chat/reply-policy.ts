import type { Smalltalk } from '../answers/answer-composer.js';
import type { MatchResult } from '../matching/matcher.js';
import type { CrisisKind } from '../safety/lexicon.schema.js';
import type { SafetyDecision } from '../safety/screen.js';

/** What the reply to one message is, before it is composed into text. */
export type ReplyPlan =
  | { kind: 'crisis'; crisisKind: CrisisKind }
  /** A care-team member is in the conversation: the message went to them; the bot stays quiet. */
  | { kind: 'relayed'; imminent: boolean }
  /** "never mind" in a flagged conversation: a softer tone, the resources still there. */
  | { kind: 'crisis-follow-up' }
  | { kind: 'smalltalk'; smalltalk: Smalltalk }
  | { kind: 'answer'; entryId: string }
  | { kind: 'fallback'; suggestions: string[] };

/** The conversation as the policy needs to see it, before this message. */
export interface PolicyState {
  flagged: boolean;
  flagKind: CrisisKind | null;
  staffPresent: boolean;
}

/** Candidates below this confidence are too far off to offer as "Did you mean". */
export const MIN_SUGGESTION_SCORE = 0.15;

/**
 * The reply policy: a pure function of the screen's decision, the conversation's state and (only when
 * needed, hence a thunk) the matcher's result.
 *
 * - A crisis always gets the crisis reply, unless a care-team member is in the conversation: then the
 *   bot stays quiet (the person answers), with the resources banner (911 first when imminent).
 * - With staff present, everything is relayed to them.
 * - "never mind" in a flagged conversation gets a softer reply that keeps the resources.
 * - Small talk gets its fixed text; otherwise the matcher decides between an answer and the fallback.
 * - In a flagged conversation only a clear question about the treatment gets an FAQ answer; anything
 *   else ("what do I do", "they've been bad this week") gets the crisis resources again, never a
 *   "no reviewed answer".
 */
export function planReply(
  decision: SafetyDecision,
  state: PolicyState,
  smalltalk: Smalltalk | null,
  match: () => MatchResult,
): ReplyPlan {
  if (decision.level === 'crisis') {
    // The conversation's most severe kind so far counts too: after "tonight", 911 stays first.
    const crisisKind = moreSevere(decision.kind ?? 'disclosure', state.flagKind);
    return state.staffPresent ? { kind: 'relayed', imminent: crisisKind === 'imminent' } : { kind: 'crisis', crisisKind };
  }
  if (state.staffPresent) return { kind: 'relayed', imminent: state.flagKind === 'imminent' };
  if (state.flagged && decision.retraction) return { kind: 'crisis-follow-up' };
  if (smalltalk) return { kind: 'smalltalk', smalltalk };
  const result = match();
  if (result.answer && (!state.flagged || result.inDomain)) return { kind: 'answer', entryId: result.answer.entry.id };
  if (state.flagged) return { kind: 'crisis', crisisKind: state.flagKind ?? 'disclosure' };
  return { kind: 'fallback', suggestions: result.ranked.filter((r) => r.score >= MIN_SUGGESTION_SCORE).map((r) => r.entry.id) };
}

const SEVERITY: Record<CrisisKind, number> = { imminent: 3, disclosure: 2, 'third-party': 1 };

function moreSevere(a: CrisisKind, b: CrisisKind | null): CrisisKind {
  return b && SEVERITY[b] > SEVERITY[a] ? b : a;
}
