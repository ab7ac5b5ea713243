import { candidates, maskRules, type CompiledRule, type Lexicon, type RuleSet } from './lexicon.js';
import { QUESTION_MARK, sentences } from './screening-text.js';
import type { CrisisKind, RiskLevel } from './lexicon.schema.js';

export interface SafetyReason {
  /** The lexicon rule that decided ("en:crisis:kill-self"), or a mechanism rule ("rule:accumulated-risk"). */
  rule: string;
  /** The words it matched, in screening form. */
  matched: string;
}

export interface SafetyDecision {
  level: RiskLevel;
  /** Only for `crisis`. */
  kind: CrisisKind | null;
  reasons: SafetyReason[];
  /** "never mind", "just kidding": softens the tone of a flagged conversation, never the flag. */
  retraction: boolean;
}

/** What the screen needs to know about the conversation so far. */
export interface ConversationRisk {
  flagged: boolean;
  /** The most severe crisis kind seen in the conversation. */
  flagKind: CrisisKind | null;
  /** Earlier visitor messages that showed distress (`concern`). */
  concernTurns: number;
  /** The visitor's previous message and its level: people split one thought over several messages. */
  previousText: string | null;
  previousLevel: RiskLevel | null;
}

export const NO_RISK: Readonly<ConversationRisk> = {
  flagged: false,
  flagKind: null,
  concernTurns: 0,
  previousText: null,
  previousLevel: null,
};

const KIND_SEVERITY: Record<CrisisKind, number> = { imminent: 3, disclosure: 2, 'third-party': 1 };

/** The conversation's state after a message with this decision. */
export function nextRisk(risk: ConversationRisk, text: string, decision: SafetyDecision): ConversationRisk {
  const flagKind =
    decision.kind && (!risk.flagKind || KIND_SEVERITY[decision.kind] > KIND_SEVERITY[risk.flagKind])
      ? decision.kind
      : risk.flagKind;
  return {
    flagged: risk.flagged || decision.level === 'crisis',
    flagKind,
    concernTurns: risk.concernTurns + (decision.level === 'concern' ? 1 : 0),
    previousText: text,
    previousLevel: decision.level,
  };
}

/**
 * The safety screen. It runs first on every message and decides, in this order:
 * 1. benign idioms and negated disclosures are set aside (they do not count, the rest of the message does);
 * 2. any crisis rule makes it a crisis; imminence signs, third-party wording and rule kinds set its kind;
 * 3. a suicide or self-harm topic in the same sentence as the visitor speaking of themself is a crisis
 *    (when unsure, crisis), otherwise the topic makes it informational;
 * 4. distress after earlier distress in the conversation is a crisis (risk accumulates);
 * 5. distress alone is a concern;
 * and then, with the conversation: a thought split over two messages is read whole; "it's for me" after
 * a message about suicide makes it personal; in a conversation flagged for someone else's safety, a
 * message about that person continues the crisis; in any flagged conversation, nothing is below concern.
 */
export class SafetyScreen {
  constructor(private readonly lexicon: Lexicon) {}

  screen(text: string, conversation: ConversationRisk = NO_RISK): SafetyDecision {
    const s = this.view(text);
    const own = this.screenMessage(s, conversation);
    if (own.level === 'crisis') return own;
    const rules = this.lexicon.rules;

    if (conversation.previousText && conversation.previousLevel !== 'crisis') {
      const joint = this.screenMessage(this.view(`${conversation.previousText} ${text}`), NO_RISK);
      if (joint.level === 'crisis') {
        return crisis(joint.kind ?? 'disclosure', [...joint.reasons, { rule: 'rule:continues-previous-message', matched: text }]);
      }
    }
    if (conversation.flagged || conversation.previousLevel === 'informational') {
      const personal = matches(s, rules.makesItPersonal);
      if (personal.length) return crisis('disclosure', personal.map(reason));
    }
    if (
      conversation.flagged &&
      !own.retraction &&
      (conversation.flagKind === 'third-party' || conversation.flagKind === 'imminent')
    ) {
      const aboutThem = matches(s, rules.thirdPersonReference);
      if (aboutThem.length) {
        return crisis(conversation.flagKind, [
          ...aboutThem.map(reason),
          { rule: 'rule:about-the-person-at-risk', matched: text },
        ]);
      }
    }
    if (conversation.flagged && (own.level === 'none' || own.level === 'informational')) {
      return { ...own, level: 'concern', reasons: [...own.reasons, { rule: 'rule:flagged-conversation', matched: '' }] };
    }
    return own;
  }

  /** The text as the risk rules see it: normalised, with benign idioms and negations set aside. */
  private view(text: string): string {
    return this.lexicon.withoutBenign(this.lexicon.prepare(text));
  }

  /** One message (already in screening form) on its own, with risk accumulated from earlier distress. */
  private screenMessage(s: string, conversation: ConversationRisk): SafetyDecision {
    const rules = this.lexicon.rules;

    const allCrisisHits = matches(s, rules.crisis).map((hit) => ({ ...hit, subject: subjectOf(s, hit, rules) }));
    // About people in general ("do people who self-harm want to die?"): a topic, not a disclosure. Never
    // for means and methods: "hypothetically, if someone took..." is how people ask for their own.
    const crisisHits = allCrisisHits.filter((h) => h.subject !== 'generic' || h.rule.kind === 'imminent');
    if (crisisHits.length) {
      const imminentHits = matches(s, rules.imminent);
      return crisis(crisisKind(crisisHits, imminentHits.length > 0), [...crisisHits, ...imminentHits].map(reason));
    }

    const generalHits = allCrisisHits.map((h) => ({ ...h, rule: { ...h.rule, ref: `${h.rule.ref} (about people in general)` } }));
    const topicHits = [...matches(s, rules.topics), ...generalHits];
    const concernHits = matches(s, rules.concern);
    const retraction = matches(s, rules.retractions).length > 0;

    if (topicHits.length) {
      const personal = matches(s, rules.makesItPersonal);
      if (personal.length) return crisis('disclosure', [...topicHits, ...personal].map(reason));
      const disclosure = topicAsDisclosure(maskRules(s, rules.frames, QUESTION_MARK), rules, this.lexicon.questionWords);
      if (disclosure) return crisis('disclosure', [...topicHits.map(reason), disclosure]);
    }
    if ((concernHits.length || topicHits.length) && conversation.concernTurns > 0) {
      return crisis('disclosure', [
        ...[...concernHits, ...topicHits].map(reason),
        { rule: 'rule:accumulated-risk', matched: `${conversation.concernTurns} earlier message(s) of distress` },
      ]);
    }
    if (concernHits.length) return { level: 'concern', kind: null, reasons: concernHits.map(reason), retraction };
    if (topicHits.length) return { level: 'informational', kind: null, reasons: topicHits.map(reason), retraction };
    return { level: 'none', kind: null, reasons: [], retraction };
  }
}

interface Hit {
  rule: CompiledRule;
  matched: string;
  start: number;
  end: number;
  subject?: Subject;
}

type Subject = 'self' | 'other' | 'generic' | 'unknown';

/**
 * Whose words a crisis match is, from the nearest subject before it in its sentence: "I" makes them
 * the visitor's, "my brother" or "she" someone else's, and "people who" or "if someone" make them a
 * question about people in general (a pronoun after "if someone" still means that someone).
 */
function subjectOf(s: string, hit: Hit, rules: Lexicon['rules']): Subject {
  const sentenceStart = Math.max(s.lastIndexOf('|', hit.start), 0);
  const before = ` ${s
    .slice(sentenceStart, hit.start)
    .replace(/^\|\S*/, '')
    .trim()} `;
  const self = lastMatchEnd(before, rules.firstPersonSubjects);
  const other = lastMatchEnd(before, rules.thirdPersonSubjects);
  const generic = lastMatchEnd(before, rules.genericSubjects);
  if (self < 0 && other < 0 && generic < 0) return 'unknown';
  if (generic >= 0 && generic >= self) return 'generic';
  return self > other ? 'self' : 'other';
}

/** Where the last match of any of the rules ends, or -1. */
function lastMatchEnd(s: string, rules: CompiledRule[]): number {
  let end = -1;
  for (const rule of rules) {
    rule.all.lastIndex = 0;
    for (let m = rule.all.exec(s); m; m = rule.all.exec(s)) {
      end = Math.max(end, m.index + m[0].length);
      rule.all.lastIndex = m.index + 1;
    }
  }
  return end;
}

function matches(s: string, rules: RuleSet): Hit[] {
  const hits: Hit[] = [];
  for (const rule of candidates(s, rules)) {
    const m = rule.re.exec(s);
    if (m) hits.push({ rule, matched: m[0].trim(), start: m.index, end: m.index + m[0].length });
  }
  return hits;
}

/**
 * imminent > disclosure > third-party; but words that are someone else's (after "my brother", or inside
 * a third-party rule's match such as "my friend keeps saying she wants to die") are not a disclosure of
 * the visitor's own.
 */
function crisisKind(hits: Hit[], imminentSigns: boolean): CrisisKind {
  if (imminentSigns || hits.some((h) => h.rule.kind === 'imminent')) return 'imminent';
  const thirdParty = hits.filter((h) => h.rule.kind === 'third-party');
  const ownWords = hits.filter(
    (h) => h.rule.kind === 'disclosure' && h.subject !== 'other' && !thirdParty.some((t) => t.start <= h.start && h.end <= t.end),
  );
  return ownWords.length ? 'disclosure' : 'third-party';
}

/**
 * When unsure, crisis: a suicide or self-harm topic counts as a disclosure when the visitor speaks of
 * themself in the same sentence ("my suicidal thoughts"), or when the sentence states rather than asks
 * ("suicidal again"), unless the sentence is about people in general. Question and reporting frames ("I read that", "will it make me") were already
 * turned into question marks, so they neither count as self-reference nor as statements.
 */
function topicAsDisclosure(s: string, rules: Lexicon['rules'], questionWords: Set<string>): SafetyReason | null {
  for (const { text, question } of sentences(s, questionWords)) {
    const topics = rules.topics.filter((t) => t.disclosureTopic && t.re.test(text));
    // "if someone tells me they're suicidal" is about someone in general, even with "me" in it.
    if (topics.length === 0 || rules.genericSubjects.some((r) => r.re.test(text))) continue;
    if (rules.selfReference.some((r) => r.re.test(text))) return { rule: 'rule:topic-with-self-reference', matched: text.trim() };
    if (!question) return { rule: 'rule:topic-in-statement', matched: text.trim() };
  }
  return null;
}

function reason(hit: Hit): SafetyReason {
  return { rule: hit.rule.ref, matched: hit.matched };
}

function crisis(kind: CrisisKind, reasons: SafetyReason[]): SafetyDecision {
  return { level: 'crisis', kind, reasons, retraction: false };
}
