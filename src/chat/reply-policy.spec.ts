import type { MatchResult } from '../matching/matcher.js';
import type { SafetyDecision } from '../safety/screen.js';
import { planReply, type PolicyState } from './reply-policy.js';

const crisis = (kind: SafetyDecision['kind']): SafetyDecision => ({ level: 'crisis', kind, reasons: [], retraction: false });
const calm: PolicyState = { flagged: false, flagKind: null, staffPresent: false };
const noMatch = (): MatchResult => {
  throw new Error('a crisis reply never looks up an answer');
};

describe('the reply policy', () => {
  it('answers a crisis with the crisis reply of its kind, without looking up an answer', () => {
    expect(planReply(crisis('disclosure'), calm, null, noMatch)).toEqual({ kind: 'crisis', crisisKind: 'disclosure' });
    expect(planReply(crisis('third-party'), calm, null, noMatch)).toEqual({ kind: 'crisis', crisisKind: 'third-party' });
  });

  it('keeps the most severe kind of the conversation: after "tonight", 911 stays first', () => {
    const imminent: PolicyState = { flagged: true, flagKind: 'imminent', staffPresent: false };
    expect(planReply(crisis('disclosure'), imminent, null, noMatch)).toEqual({ kind: 'crisis', crisisKind: 'imminent' });
    expect(planReply(crisis('disclosure'), { ...imminent, staffPresent: true }, null, noMatch)).toEqual({ kind: 'relayed', imminent: true });
    // A more severe kind than the conversation's wins.
    const thirdParty: PolicyState = { flagged: true, flagKind: 'third-party', staffPresent: false };
    expect(planReply(crisis('disclosure'), thirdParty, null, noMatch)).toEqual({ kind: 'crisis', crisisKind: 'disclosure' });
  });
});
