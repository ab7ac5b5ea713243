import { z } from 'zod';

export const RISK_LEVELS = ['crisis', 'concern', 'informational', 'none'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];
export const CRISIS_KINDS = ['imminent', 'disclosure', 'third-party'] as const;
export type CrisisKind = (typeof CRISIS_KINDS)[number];

const rule = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/, 'must be kebab-case'),
    match: z.string().min(1),
    /** A message this rule must catch: checked when the lexicon loads. */
    example: z.string().min(1),
    /** Messages this rule must not catch (benign counterparts): checked when the lexicon loads. */
    notExamples: z.array(z.string().min(1)).default([]),
    /** Let the rule's gaps (*) span sentence boundaries. */
    acrossSentences: z.boolean().default(false),
  })
  .strict();

const crisisRule = rule.extend({ kind: z.enum(CRISIS_KINDS) }).strict();
/**
 * A topic rule. A `disclosureTopic` (suicide, self-harm) is read as a disclosure when the visitor speaks
 * of themself in the same sentence, or states it rather than asks ("suicidal again").
 */
const topicRule = rule.extend({ disclosureTopic: z.boolean().default(false) }).strict();

/**
 * One language's safety lexicon (knowledge/safety/<locale>.yaml). Every list is reviewable data; the
 * code in src/safety holds only the mechanism.
 */
export const lexiconSchema = z
  .object({
    locale: z.string().min(2),
    /** Slang, euphemisms and misspellings rewritten before anything else ("kms" -> "kill myself"). */
    substitutions: z
      .array(z.object({ from: z.string().min(1), to: z.string().min(1), example: z.string().min(1) }).strict())
      .default([]),
    /** Emoji read as words ("💊" -> "pills"). */
    emoji: z.record(z.string().min(1), z.string().regex(/^[a-z ]+$/)).default({}),
    /** Words that open a question, when a visitor leaves out the question mark ("can ketamine help"). */
    questionWords: z.array(z.string().min(1)).default([]),
    /** Words that near-misspellings are corrected to ("sucide" -> "suicide"); six letters or more. */
    keywords: z.array(z.string().min(6)).default([]),
    /** Benign idioms, removed before the crisis rules run ("this wait is killing me"). */
    benign: z.array(rule).default([]),
    /** Negated disclosures, removed before the crisis rules run; the rest of the message still counts. */
    negations: z.array(rule).default([]),
    /** Disclosures and risk: any match makes the message a crisis of the rule's kind. */
    crisis: z.array(crisisRule).default([]),
    /** Signs that make a crisis imminent: a time, a plan, means at hand, goodbyes. */
    imminent: z.array(rule).default([]),
    /** Distress without a disclosure. */
    concern: z.array(rule).default([]),
    /** Suicide, self-harm or crisis as a topic: at least informational. */
    topics: z.array(topicRule).default([]),
    /** Words by which visitors speak of themselves; with a topic in the same sentence: crisis. */
    selfReference: z.array(rule).default([]),
    /** Question and reporting frames that are not self-disclosure ("I read that", "will it make me"). */
    frames: z.array(rule).default([]),
    /** Said right after a message about suicide or lethal means, these make it the visitor's own ("it's for me"). */
    makesItPersonal: z.array(rule).default([]),
    /** Words for the person at risk, in a conversation flagged for someone else ("she", "him"). */
    thirdPersonReference: z.array(rule).default([]),
    /** Subjects that make the words after them the visitor's own ("I"). */
    firstPersonSubjects: z.array(rule).default([]),
    /** Subjects that make the words after them someone else's ("my brother", "she"): a third-party crisis. */
    thirdPersonSubjects: z.array(rule).default([]),
    /** People in general ("people who", "if someone"): the words after them are a topic, not a disclosure. */
    genericSubjects: z.array(rule).default([]),
    /** "just kidding", "never mind": they soften the tone of a flagged conversation, never the flag. */
    retractions: z.array(rule).default([]),
  })
  .strict();

export type LexiconFile = z.infer<typeof lexiconSchema>;
