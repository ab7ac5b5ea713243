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
  /** `alsoAsked`: a second question in the same message, offered as a suggestion. */
  | { kind: 'answer'; entryId: string; alsoAsked?: string }
  /** `close`: the first suggestion is close enough to lead with ("Did you mean: ...?"). */
  | { kind: 'fallback'; suggestions: string[]; close?: boolean };

/** The conversation as the policy needs to see it, before this message. */
export interface PolicyState {
  flagged: boolean;
  flagKind: CrisisKind | null;
  staffPresent: boolean;
}

/** Candidates below this confidence are too far off to offer as suggestions. */
export const MIN_SUGGESTION_SCORE = 0.15;
/**
 * A fallback whose best candidate scores this high (or that fell back only because two entries were
 * too close to tell apart) leads with it: "Did you mean: ...?" rather than "I don't have an answer".
 */
export const DID_YOU_MEAN_SCORE = 0.3;

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
  if (result.answer && (!state.flagged || result.inDomain)) {
    const plan: ReplyPlan = { kind: 'answer', entryId: result.answer.entry.id };
    return result.alsoAsked ? { ...plan, alsoAsked: result.alsoAsked.entry.id } : plan;
  }
  if (state.flagged) return { kind: 'crisis', crisisKind: state.flagKind ?? 'disclosure' };
  const suggestions = result.ranked.filter((r) => r.score >= MIN_SUGGESTION_SCORE).map((r) => r.entry.id);
  const best = result.ranked[0];
  const close =
    best !== undefined &&
    result.reason !== 'off-topic' &&
    (result.reason === 'ambiguous' || (result.reason === 'below-threshold' && best.score >= DID_YOU_MEAN_SCORE));
  return close ? { kind: 'fallback', suggestions, close } : { kind: 'fallback', suggestions };
}

const SEVERITY: Record<CrisisKind, number> = { imminent: 3, disclosure: 2, 'third-party': 1 };

function moreSevere(a: CrisisKind, b: CrisisKind | null): CrisisKind {
  return b && SEVERITY[b] > SEVERITY[a] ? b : a;
}
