import type { CrisisClassifier } from './classifier.js';
import { clauseEndOf, clauseStartOf, type Finding, type Lexicon, type TaggedClause } from './grammar.js';
import { CRISIS_CATEGORIES, IMMINENT_CATEGORIES, type Category, type CrisisKind, type RiskLevel } from './lexicon.schema.js';

export interface SafetyReason {
  /** The lexicon rule that decided ("en:wish-dead:want-to-die"), or a mechanism ("rule:resolved-past", "classifier"). */
  rule: string;
  /** The words it matched, as the screen read them (or the classifier's probability). */
  matched: string;
}

export interface SafetyDecision {
  level: RiskLevel;
  /** Only for `crisis`. */
  kind: CrisisKind | null;
  reasons: SafetyReason[];
  /** "never mind", "just kidding": softens the tone of a flagged conversation, never the flag. */
  retraction: boolean;
  /** The learned second opinion's probability that this is a crisis (for staff tools), when it ran. */
  probability?: number;
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
    decision.kind && (!risk.flagKind || KIND_SEVERITY[decision.kind] > KIND_SEVERITY[risk.flagKind]) ? decision.kind : risk.flagKind;
  return {
    flagged: risk.flagged || decision.level === 'crisis',
    flagKind,
    concernTurns: risk.concernTurns + (decision.level === 'concern' ? 1 : 0),
    previousText: text,
    previousLevel: decision.level,
  };
}

/** Thresholds of the learned second opinion (chosen on the development split; see README). */
export interface ClassifierThresholds {
  /** At or above: a crisis, whatever the lexicon said. */
  crisis: number;
  /** At or above, when the lexicon found nothing: concern. */
  concern: number;
  /** At or above, for a message that only asks questions: a crisis (unset: `crisis`). */
  question?: number;
}

type Subject = 'self' | 'other' | 'generic';

/** How many words before a finding a negation still reaches ("I don't really want to die"). */
const NEGATION_REACH = 4;
const MARKERS: ReadonlySet<Category> = new Set<Category>(['imminent', 'resolved', 'hypothetical', 'personal', 'retraction', 'benign']);

/**
 * The safety screen. It runs first on every message and reads it with the lexicons' grammar:
 *
 * 1. Benign idioms and accidents are set aside ("this wait is killing me", "I cut myself shaving").
 * 2. Each finding of a C-SSRS category (wish to be dead, thoughts, method, intent, plan, preparation,
 *    attempt; self-harm, asking for means, goodbyes) is read in its clause: who is its subject (the
 *    visitor, someone else, people in general), whether a negation reaches it, whether it is over ("years
 *    ago, doing well now") or hypothetical ("what if I ever"). The visitor's own finding, now, is a crisis;
 *    someone else's, a third-party crisis; people in general's, a topic, except asking for means, which is
 *    always a crisis. A time, means at hand or an act under way makes a crisis imminent.
 * 3. A finding that is over is a concern; distress without a finding is a concern; suicide as a topic is
 *    informational.
 * 4. A learned second opinion (the classifier) may raise the level, never lower it: to crisis above one
 *    threshold, from none to concern above a lower one. Its probability is among the reasons.
 *
 * Then, with the conversation: a thought split over two messages is read whole; "it's for me" after a
 * question about suicide makes it personal; in a conversation flagged for someone else's safety, a
 * message about that person continues the crisis; distress after earlier distress is a crisis; in any
 * flagged conversation nothing is below concern. Linear in the length of the text.
 */
export class SafetyScreen {
  private readonly reads = new Map<string, TaggedClause[]>();

  constructor(
    private readonly lexicon: Lexicon,
    private readonly classifier: CrisisClassifier | null = null,
    private readonly thresholds: ClassifierThresholds = { crisis: 1.01, concern: 1.01 },
  ) {}

  screen(text: string, conversation: ConversationRisk = NO_RISK): SafetyDecision {
    const own = this.screenMessage(text, conversation);
    if (own.level === 'crisis') return own;

    if (conversation.previousText && conversation.previousLevel !== 'crisis') {
      const joint = this.screenMessage(`${conversation.previousText} ${text}`, NO_RISK, false);
      if (joint.level === 'crisis') {
        return crisis(joint.kind ?? 'disclosure', [...joint.reasons, { rule: 'rule:continues-previous-message', matched: text }]);
      }
    }
    const clauses = this.read(text);
    if (conversation.flagged || conversation.previousLevel === 'informational') {
      const personal = this.lexicon.find(clauses, only('personal'));
      if (personal.length) return crisis('disclosure', personal.map(reason));
    }
    if (conversation.flagged && !own.retraction && (conversation.flagKind === 'third-party' || conversation.flagKind === 'imminent')) {
      const aboutThem = clauses.some((c) => c.present.has('OTHER'));
      if (aboutThem) return crisis(conversation.flagKind, [{ rule: 'rule:about-the-person-at-risk', matched: text }]);
    }
    // In a flagged conversation, "what do I do", "they've been really bad this week": the crisis goes on.
    if (conversation.flagged && !own.retraction && clauses.some((c) => c.present.has('FOLLOW_UP'))) {
      return crisis(conversation.flagKind ?? 'disclosure', [{ rule: 'rule:crisis-continues', matched: text }]);
    }
    // Distress (or a question about suicide) after earlier distress: risk accumulates.
    const lexiconReasons = own.reasons.some((r) => r.rule !== 'classifier');
    if ((own.level === 'concern' || own.level === 'informational') && conversation.concernTurns > 0 && lexiconReasons) {
      const accumulated = { rule: 'rule:accumulated-risk', matched: `${conversation.concernTurns} earlier message(s) of distress` };
      return crisis('disclosure', [...own.reasons, accumulated]);
    }
    if (conversation.flagged && (own.level === 'none' || own.level === 'informational')) {
      return { ...own, level: 'concern', reasons: [...own.reasons, { rule: 'rule:flagged-conversation', matched: '' }] };
    }
    return own;
  }

  /**
   * The lexicon's reading of a text, cached for the few texts a screening reads more than once. Kept
   * small on purpose: readings kept longer outlive the young generation and make garbage collection dear.
   */
  private read(text: string): TaggedClause[] {
    let clauses = this.reads.get(text);
    if (!clauses) {
      clauses = this.lexicon.read(text);
      if (this.reads.size >= 8) this.reads.delete(this.reads.keys().next().value as string);
      this.reads.set(text, clauses);
    }
    return clauses;
  }

  /** One message (or two joined) on its own. */
  private screenMessage(text: string, conversation: ConversationRisk, useClassifier = true): SafetyDecision {
    const clauses = this.read(text);
    const all = this.lexicon.find(clauses);
    const benign = all.filter((f) => f.rule.category === 'benign');
    const idiom = coverage(benign);
    const findings = all.filter((f) => f.rule.category !== 'benign' && !idiom.overlaps(f));
    // Each category's findings, listed once (a long message may have thousands of findings).
    const byCategory = new Map<Category, Finding[]>();
    for (const f of findings) {
      const list = byCategory.get(f.rule.category);
      if (list) list.push(f);
      else byCategory.set(f.rule.category, [f]);
    }
    const markers = (category: Category): Finding[] => byCategory.get(category) ?? [];
    const retraction = markers('retraction').length > 0;
    // Where a hypothetical ("what if I ever") first appears in each sentence.
    const hypotheticalFrom = new Map<TaggedClause, number>();
    for (const h of markers('hypothetical')) hypotheticalFrom.set(h.clause, Math.min(h.start, hypotheticalFrom.get(h.clause) ?? Infinity));

    const own: Finding[] = [];
    const third: Finding[] = [];
    const over: Finding[] = [];
    const topics: Finding[] = findings.filter((f) => f.rule.category === 'topic' && !negated(f));
    for (const f of findings.filter((x) => CRISIS_CATEGORIES.has(x.rule.category))) {
      if (negated(f)) continue;
      let subject = f.rule.subject ?? subjectOf(f);
      // A rule that fixes the speaker (Spanish first-person verbs) yields to someone named inside its own
      // match: the lexicons share concepts, so "keeps saying he wants to end it" may match one.
      if (f.rule.subject === 'self' && otherInside(f)) subject = 'other';
      // A goodbye is the writer's own, whoever it is addressed to ("by the time anyone reads this").
      if (f.rule.category === 'farewell' && subject === 'generic') subject = 'self';
      // "does ketamine help with self-harm urges?": a noun phrase asked about, nobody's own.
      if (f.rule.topicInQuestion && f.clause.question && !explicitSubject(f)) {
        topics.push(f);
        continue;
      }
      if (subject === 'generic') {
        // "how many pills would it take to kill someone" is how people ask for their own means.
        if (f.rule.category === 'means-seeking') own.push(f);
        else topics.push(f);
        continue;
      }
      if ((hypotheticalFrom.get(f.clause) ?? Infinity) <= f.start && f.rule.category !== 'means-seeking') {
        topics.push(f);
        continue;
      }
      if (isOver(f, markers('resolved'))) {
        over.push(f);
        continue;
      }
      (subject === 'other' ? third : own).push(f);
    }

    // "Would ketamine help someone who thinks about ending it? Asking for me": the topic is their own.
    if (!own.length && topics.length && markers('personal').length) own.push(...topics);
    if (own.length || third.length) {
      const hits = [...own, ...third];
      const hitSentences = new Set(hits.map((f) => f.clause.sentence));
      const signs = markers('imminent').filter((m) => hitSentences.has(m.clause.sentence));
      const imminent = hits.some((f) => f.rule.imminent ?? IMMINENT_CATEGORIES.has(f.rule.category)) || signs.length > 0;
      const kind: CrisisKind = imminent ? 'imminent' : own.length ? 'disclosure' : 'third-party';
      return crisis(kind, [...hits, ...signs].map(reason));
    }

    const probability = useClassifier ? this.classifier?.probability(text, clauses) : undefined;
    const p = probability ?? 0;
    // The second opinion never overrules the grammar where the grammar explained the risky words: an
    // idiom or accident, a negation, the past, people in general.
    const explanations = [...benign, ...over, ...topics, ...findings.filter((f) => CRISIS_CATEGORIES.has(f.rule.category) && negated(f))];
    const explainedClauses = new Set(explanations.map(clauseKey));
    const explained = explanations.length > 0 && riskyClauses(clauses).every((c) => explainedClauses.has(`${c.sentence.sentence}:${c.start}`));
    // A message made only of questions ("could I get hooked if I do this every week?") is how visitors
    // ask about the treatment: there the second opinion alone needs more certainty to call a crisis.
    const asked = clauses.length > 0 && clauses.every((c) => c.question);
    const crisisThreshold = asked ? Math.max(this.thresholds.crisis, this.thresholds.question ?? this.thresholds.crisis) : this.thresholds.crisis;
    if (p >= crisisThreshold && !explained) {
      const imminent = markers('imminent').length > 0;
      return { ...crisis(imminent ? 'imminent' : 'disclosure', [classifierReason(p), ...findings.filter((f) => !MARKERS.has(f.rule.category)).map(reason)]), probability };
    }
    const distress = findings.filter((f) => f.rule.category === 'distress' && !negated(f));
    const concernReasons = [...over.map((f) => ({ rule: `rule:resolved-past (${f.rule.ref})`, matched: matchedText(f) })), ...distress.map(reason)];
    if (concernReasons.length) return { level: 'concern', kind: null, reasons: concernReasons, retraction, probability };
    if (topics.length) {
      if (p >= this.thresholds.concern && p >= this.thresholds.crisis) return { level: 'concern', kind: null, reasons: [...topics.map(reason), classifierReason(p)], retraction, probability };
      return { level: 'informational', kind: null, reasons: topics.map(reason), retraction, probability };
    }
    // Where the grammar explained every risky word (an idiom, an accident, a denial), the second opinion
    // has nothing left to weigh: "I cut myself shaving" stays calm.
    if (p >= this.thresholds.concern && !explained) return { level: 'concern', kind: null, reasons: [classifierReason(p)], retraction, probability };
    void conversation;
    return { level: 'none', kind: null, reasons: [], retraction, probability };
  }
}

/** Concepts that carry risk by themselves: a clause with one is explained only by a finding in it. */
const RISKY = ['DIE', 'KILL', 'END_LIFE', 'SUICIDE', 'SUICIDAL', 'SUICIDAL_THOUGHTS', 'METHOD_ACT', 'LETHAL', 'WEAPON', 'PILLS', 'LIFE'];

/** The clauses (sentence, clause start) of a message that contain a risky concept. */
function riskyClauses(sentences: TaggedClause[]): Array<{ sentence: TaggedClause; start: number }> {
  const out: Array<{ sentence: TaggedClause; start: number }> = [];
  for (const sentence of sentences) {
    sentence.clauseStarts.forEach((start, k) => {
      const end = sentence.clauseStarts[k + 1] ?? sentence.words.length;
      for (let i = start; i < end; i++) if (sentence.tags[i].some((t) => RISKY.includes(t.concept))) return void out.push({ sentence, start });
    });
  }
  return out;
}

/** A finding's clause, as "sentence:clause start". */
function clauseKey(f: Finding): string {
  return `${f.clause.sentence}:${clauseStartOf(f.clause, f.start)}`;
}

function only(category: Category): ReadonlySet<Category> {
  return new Set([category]);
}

/** The words covered by some findings, per sentence, to test overlap in the length of a finding. */
function coverage(findings: Finding[]): { overlaps: (f: Finding) => boolean } {
  const covered = new Map<TaggedClause, Uint8Array>();
  for (const b of findings) {
    let words = covered.get(b.clause);
    if (!words) covered.set(b.clause, (words = new Uint8Array(b.clause.words.length)));
    words.fill(1, b.start, b.end);
  }
  return {
    overlaps: (f) => {
      const words = covered.get(f.clause);
      if (!words) return false;
      for (let i = f.start; i < f.end; i++) if (words[i] === 1) return true;
      return false;
    },
  };
}

/**
 * Whose words a finding is: the nearest subject before it in its clause ("I", "my brother", "people
 * who"); with none, the visitor's (a chat is written in the first person: "wanna die tbh").
 */
function subjectOf(f: Finding): Subject {
  const { clause } = f;
  // Its own clause first, then the sentence's earlier clauses.
  const before = subjectBefore(clause, f.start);
  if (before) return before;
  // A subject inside the match itself ("my son wants to die" matched whole).
  for (let i = f.start; i < f.end; i++) {
    const subject = subjectAt(clause, i, ['OTHER', 'GENERIC', 'SELF']);
    if (subject) return subject;
  }
  return 'self';
}

/** The nearest subject phrase before word i in the sentence: a table made once per sentence (linear time). */
const subjectsBefore = new WeakMap<TaggedClause, Array<Subject | null>>();
function subjectBefore(clause: TaggedClause, i: number): Subject | null {
  let table = subjectsBefore.get(clause);
  if (!table) {
    table = [];
    let last: Subject | null = null;
    for (let k = 0; k <= clause.words.length; k++) {
      table.push(last);
      if (k < clause.words.length) last = subjectAt(clause, k, ['SELF', 'OTHER', 'GENERIC']) ?? last;
    }
    subjectsBefore.set(clause, table);
  }
  return table[i];
}

/** Whether the clause holding word i has one of the concepts: remembered per clause (linear time). */
const clauseConcepts = new WeakMap<TaggedClause, Map<string, boolean>>();
function clauseHas(clause: TaggedClause, i: number, concepts: readonly string[]): boolean {
  const start = clauseStartOf(clause, i);
  const key = `${start}:${concepts.join()}`;
  let known = clauseConcepts.get(clause);
  if (!known) clauseConcepts.set(clause, (known = new Map()));
  let has = known.get(key);
  if (has === undefined) {
    has = false;
    const end = clauseEndOf(clause, i);
    for (let k = start; k < end && !has; k++) has = clause.tags[k].some((t) => concepts.includes(t.concept));
    known.set(key, has);
  }
  return has;
}

/** Someone else is named inside the finding's own words ("he", "my son"). */
function otherInside(f: Finding): boolean {
  for (let i = f.start; i < f.end; i++) if (subjectAt(f.clause, i, ['OTHER', 'SELF', 'GENERIC']) === 'other') return true;
  return false;
}

/**
 * The subject whose phrase starts at word i, the longest phrase first: "my son" (OTHER) over "my"
 * (SELF), Spanish "mi hijo" over "mi", "he pensado" (SELF) over English "he" (OTHER). Among phrases of
 * the same length, the order given.
 */
function subjectAt(clause: TaggedClause, i: number, order: string[]): Subject | null {
  let best: { concept: string; end: number } | null = null;
  for (const concept of order) {
    for (const t of clause.tags[i]) if (t.concept === concept && (!best || t.end > best.end)) best = t;
  }
  if (!best) return null;
  return best.concept === 'SELF' ? 'self' : best.concept === 'OTHER' ? 'other' : 'generic';
}

/**
 * A negation shortly before the finding or inside it, in its clause ("I don't want to die from side
 * effects", "I'm not suicidal"). Not a negation that is part of a longer phrase ("never wake up", "can't
 * stop thinking", "no one would miss me"), nor one the rule itself is about ("I don't want to live").
 */
function negated(f: Finding): boolean {
  const { clause } = f;
  const until = f.rule.ownsNegation ? f.start : f.end;
  const subjects = new Set(['SELF', 'OTHER', 'GENERIC']);
  // A negation does not reach across a clause boundary ("I'm not suicidal, but I think about dying").
  const clauseStart = clauseStartOf(clause, f.start);
  for (let i = Math.max(clauseStart, f.start - NEGATION_REACH); i < until; i++) {
    if (clause.tags[i].some((t) => t.concept === 'NEG') && !insidePhrase(clause, i)) {
      // A negation of an earlier predicate stops at a new subject ("if it doesn't work, I'm done"); a
      // subject right after the negation is its own (Spanish "nunca he pensado", "no me quiero morir").
      let newSubject = false;
      for (let k = i + 2; k <= f.start && k < f.end && !newSubject; k++) newSubject = clause.tags[k].some((t) => subjects.has(t.concept));
      if (!newSubject) return true;
    }
  }
  return false;
}

/** Whether the finding's clause names who it is about (before it, or within it). */
function explicitSubject(f: Finding): boolean {
  return clauseHas(f.clause, f.start, ['SELF', 'OTHER']);
}

/** Word i is part of a phrase of two words or more of another concept. */
function insidePhrase(clause: TaggedClause, i: number): boolean {
  for (let j = Math.max(0, i - 4); j <= i; j++) {
    if (clause.tags[j].some((t) => t.concept !== 'NEG' && t.end > i && t.end - j >= 2)) return true;
  }
  return false;
}

/**
 * Over: a marker of the past in the message ("years ago", "used to", "now I'm 50 and doing well"), unless
 * the finding's own clause says now ("again", "lately", "tonight").
 */
function isOver(f: Finding, resolved: Finding[]): boolean {
  if (resolved.length === 0) return false;
  return !clauseHas(f.clause, f.start, ['NOW']);
}

function matchedText(f: Finding): string {
  return f.clause.words.slice(f.start, f.end).join(' ');
}

function reason(f: Finding): SafetyReason {
  return { rule: f.rule.ref, matched: matchedText(f) };
}

function classifierReason(p: number): SafetyReason {
  return { rule: 'classifier', matched: `p=${p.toFixed(3)}` };
}

function crisis(kind: CrisisKind, reasons: SafetyReason[]): SafetyDecision {
  return { level: 'crisis', kind, reasons, retraction: false };
}
