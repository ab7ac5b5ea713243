import { z } from 'zod';

export const RISK_LEVELS = ['crisis', 'concern', 'informational', 'none'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];
export const CRISIS_KINDS = ['imminent', 'disclosure', 'third-party'] as const;
export type CrisisKind = (typeof CRISIS_KINDS)[number];

/**
 * What a rule finds, after the Columbia Suicide Severity Rating Scale (C-SSRS): its ideation ladder
 * (wish to be dead, thoughts, method, intent, plan), its behaviours (preparation, attempt), plus
 * non-suicidal self-harm, asking for means, goodbyes; then distress short of that (`concern`), suicide
 * as a topic, and the markers the screen reads around a finding.
 */
export const CATEGORIES = [
  // Findings that make a crisis when the visitor (or someone they speak of) is the one at risk, now.
  'wish-dead',
  'thoughts',
  'method',
  'intent',
  'plan',
  'preparation',
  'attempt',
  'self-harm',
  'means-seeking',
  'farewell',
  // Distress without a disclosure.
  'distress',
  // Suicide, self-harm or crisis services as a topic.
  'topic',
  // Markers: they change how findings are read, and are never findings themselves.
  'benign', // idioms and accidents, set aside before anything else ("this wait is killing me")
  'imminent', // a time, means at hand, an act under way: the crisis is imminent
  'resolved', // the past, over: "years ago", "I'm doing well now"
  'hypothetical', // "what if", "if I ever"
  'personal', // said after a topic question, makes it the visitor's own ("asking for myself")
  'retraction', // "just kidding", "never mind"
] as const;
export type Category = (typeof CATEGORIES)[number];

export const CRISIS_CATEGORIES: ReadonlySet<Category> = new Set<Category>([
  'wish-dead',
  'thoughts',
  'method',
  'intent',
  'plan',
  'preparation',
  'attempt',
  'self-harm',
  'means-seeking',
  'farewell',
]);

/** Categories whose findings are imminent by nature (C-SSRS: plan, behaviour; asking for means; goodbyes). */
export const IMMINENT_CATEGORIES: ReadonlySet<Category> = new Set<Category>(['plan', 'preparation', 'attempt', 'means-seeking', 'farewell']);

const phrase = z.string().min(1);
/** A concept's phrase; YAML reads "988" as a number, which is a word here too. */
const term = z.union([z.string().min(1), z.number().transform(String)]);

const rule = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/, 'must be kebab-case'),
    category: z.enum(CATEGORIES),
    /**
     * Who the rule is about, when its words say so themselves: `self` ("I want to die"), `other` ("he
     * wants to kill himself"), `generic` ("people who"). Without it the subject is read from the clause.
     */
    subject: z.enum(['self', 'other', 'generic']).optional(),
    /**
     * Imminent by itself (a time, means at hand) where its category is not (true), or not imminent by
     * itself where its category is (false: "I tried to kill myself last year"). Unset: the category's.
     */
    imminent: z.boolean().optional(),
    /**
     * A noun phrase ("self-harm urges", "suicidal thoughts") that, in a question with no subject of its
     * own, is asked about as a topic ("does ketamine help with suicidal thoughts?").
     */
    topicInQuestion: z.boolean().default(false),
    pattern: z.string().min(1),
    /** Messages this rule must find, checked when the lexicon loads. */
    examples: z.array(phrase).min(1),
    /** Messages this rule must not find. */
    notExamples: z.array(phrase).default([]),
  })
  .strict();

/**
 * One language's safety lexicon (knowledge/safety/<locale>.yaml): concepts (words and phrases that mean
 * the same for the screen) and rules over them, organised by the C-SSRS categories above. The code in
 * src/safety holds only the mechanism; every word is here, reviewable.
 */
export const lexiconSchema = z
  .object({
    locale: z.string().min(2),
    /** Long words whose misspellings are corrected ("sucide" -> "suicide"); never a real word's. */
    keywords: z.array(z.string().min(6)).default([]),
    /** Words that open a question when the question mark is missing ("can ketamine help"). */
    questionWords: z.array(phrase).default([]),
    /** Concept name (capitals) -> its words and phrases (word~ matches any word starting so). */
    concepts: z.record(z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'concept names are written in capitals'), z.array(term).min(1)),
    rules: z.array(rule).default([]),
  })
  .strict();

export type LexiconFile = z.infer<typeof lexiconSchema>;
export type RuleSpec = z.infer<typeof rule>;
