import { readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import { EVIDENCE_LEVELS, LOCALES, type Locale } from '../knowledge/entry.schema.js';

const text = z.string().trim().min(1);
const byPerson = z.object({ self: text, 'third-party': text }).strict();

const resourceSchema = z
  .object({
    id: z.string().min(1),
    label: text,
    href: z.string().regex(/^(tel:|sms:|https:\/\/)\S+$/, 'must be a tel:, sms: or https:// link'),
    description: text,
    immediate: z.boolean().default(false),
  })
  .strict();

/** The assistant's fixed texts for one locale (knowledge/replies/<locale>.yaml). */
export const replyTextsSchema = z
  .object({
    locale: z.enum(LOCALES),
    disclaimer: text,
    /** How replies name the clinic when CLINIC_NAME is not set. */
    clinicFallbackName: text,
    starterTopics: z.array(z.string()).max(6).default([]),
    fallback: z
      .object({
        text,
        suggestionsIntro: text,
        contact: text,
        /** Leads a fallback whose best suggestion is close: "Did you mean: {question}". */
        didYouMean: text.refine((t) => t.includes('{question}'), 'must contain {question}'),
        didYouMeanHint: text,
      })
      .strict(),
    /** After an answer, for a second question in the same message: "You also asked about: {question}". */
    alsoAsked: text.refine((t) => t.includes('{question}'), 'must contain {question}'),
    smalltalk: z.record(z.enum(['greeting', 'thanks', 'goodbye']), z.object({ words: z.array(text).min(1), text }).strict()),
    evidence: z.record(z.enum(EVIDENCE_LEVELS), z.object({ label: text, caveat: text }).strict()),
    resourcesLine: z.object({ concern: text, informational: text, flagged: text }).strict(),
    clinicContact: z.object({ heading: text, phone: text, email: text, url: text, hours: text }).strict(),
    crisis: z
      .object({
        acknowledgement: byPerson,
        resourcesIntro: byPerson,
        imminentFirst: text,
        automated: text,
        alerted: text,
        leaveContact: text,
        safetyQuestion: byPerson,
        thirdPartyGuidance: text,
        hope: text,
        followUp: text,
        staffJoined: text,
        staffLeft: text,
      })
      .strict(),
    resources: z.record(z.string().regex(/^[A-Z]{2}$/), z.array(resourceSchema).min(1)),
  })
  .strict();

export type ReplyTexts = z.infer<typeof replyTextsSchema>;
export type ResourceTemplate = z.infer<typeof resourceSchema>;

/** Loads every locale's texts; throws naming the file and field when one is invalid or missing. */
export function loadReplyTexts(dir: string): Record<Locale, ReplyTexts> {
  const out = {} as Record<Locale, ReplyTexts>;
  for (const locale of LOCALES) {
    const file = path.join(dir, `${locale}.yaml`);
    let data: unknown;
    try {
      data = YAML.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new Error(`Cannot read reply texts ${file}: ${(err as Error).message}`, { cause: err });
    }
    const result = replyTextsSchema.safeParse(data);
    if (!result.success) {
      const lines = result.error.issues.map((i) => `  ${locale}.yaml (${i.path.join('.')}): ${i.message}`);
      throw new Error(`Invalid reply texts:\n${lines.join('\n')}`);
    }
    out[locale] = result.data;
  }
  return out;
}
