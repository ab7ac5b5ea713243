import { z } from 'zod';

export const LOCALES = ['en', 'es'] as const;
export type Locale = (typeof LOCALES)[number];

export const EVIDENCE_LEVELS = ['strong', 'moderate', 'limited', 'emerging', 'expert-opinion'] as const;
export type EvidenceLevel = (typeof EVIDENCE_LEVELS)[number];

export const MAX_SUMMARY_WORDS = 45;

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), 'is not a real date');

const httpsUrl = z.url({ protocol: /^https$/, error: 'must be a well-formed https:// URL' });

/**
 * A cited source. Title and URL are required; year, DOI and PMID are optional because the content rules
 * say to leave out a detail we are not sure of rather than guess it.
 */
export const sourceSchema = z
  .object({
    title: z.string().trim().min(3),
    publisher: z.string().trim().min(2).optional(),
    journal: z.string().trim().min(2).optional(),
    year: z.number().int().min(1900).max(2100).optional(),
    url: httpsUrl,
    doi: z
      .string()
      .regex(/^10\.\d{4,9}\/\S+$/, 'must look like 10.1234/abc (no "https://doi.org/" prefix)')
      .optional(),
    pmid: z
      .string()
      .regex(/^[1-9]\d{0,8}$/, 'must be digits only')
      .optional(),
  })
  .strict()
  .refine((s) => s.publisher !== undefined || s.journal !== undefined, {
    message: 'needs a publisher or a journal',
    path: ['publisher'],
  });

export const entryFrontMatterSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be kebab-case (a-z, 0-9 and single hyphens)'),
    locale: z.enum(LOCALES),
    question: z.string().trim().min(5).max(200),
    /** The short answer shown first: one or two plain sentences, at most 45 words. */
    summary: z
      .string()
      .trim()
      .min(10)
      .max(400)
      .refine((s) => s.split(/\s+/).length <= MAX_SUMMARY_WORDS, `must be at most ${MAX_SUMMARY_WORDS} words`)
      .optional(),
    alternates: z.array(z.string().trim().min(2).max(200)).default([]),
    tags: z.array(z.string().trim().min(2).max(60)).default([]),
    evidence: z.enum(EVIDENCE_LEVELS),
    caveat: z.string().trim().min(10).max(600).optional(),
    sources: z.array(sourceSchema).min(1, 'needs at least one source'),
    related: z.array(z.string()).max(6).default([]),
    /** Show the crisis resources with this answer (the entry about suicidal thoughts). */
    showCrisisResources: z.boolean().default(false),
    /** Append the clinic's contact details from configuration (entry text never holds them). */
    showClinicContact: z.boolean().default(false),
    reviewed: isoDate,
    reviewBy: isoDate,
    /**
     * For a translation: the content hash (see `translationHash`) of the English entry it was translated
     * from. When the English entry changes, the translation is listed as due for review.
     */
    translatedFrom: z
      .string()
      .regex(/^[0-9a-f]{12}$/, 'must be the 12-character hash that `npm run corpus -- hash <id>` prints')
      .optional(),
  })
  .strict()
  .refine((e) => e.reviewBy > e.reviewed, { message: 'must be after "reviewed"', path: ['reviewBy'] });

export type EntryFrontMatter = z.infer<typeof entryFrontMatterSchema>;
export type Source = z.infer<typeof sourceSchema>;

/** A loaded, validated corpus entry with its answer rendered once, at load time. */
export interface Entry extends EntryFrontMatter {
  /** The answer in Markdown, as written by staff. */
  body: string;
  /** The answer as sanitised HTML. */
  html: string;
  /** Path relative to the knowledge directory, for error reports and staff tools. */
  file: string;
}

/** Synonym groups and known misspellings that feed the matcher (knowledge/synonyms.yaml). */
export const synonymsSchema = z
  .object({
    groups: z.array(z.array(z.string().trim().min(1)).min(2, 'a group needs at least two terms')).default([]),
    misspellings: z.record(z.string().trim().min(1), z.string().trim().min(1)).default({}),
    /** Words that place a question in this product's domain (see the matcher's off-domain rule). */
    domainTerms: z.array(z.string().trim().min(1)).default([]),
  })
  .strict();
export type Synonyms = z.infer<typeof synonymsSchema>;
