import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AppModule } from '../src/app.module.js';
import { ChatService } from '../src/chat/chat.service.js';
import { accuracy, runBatch, type BatchLine } from '../src/cli/batch.js';
import { loadCorpus, phrasingKey } from '../src/knowledge/corpus-loader.js';
import type { Entry } from '../src/knowledge/entry.schema.js';
import { inflesz, readingGrade, wordCount } from '../src/knowledge/readability.js';
import { translationHash, translationsDue } from '../src/knowledge/translation.js';
import { resolveFromRoot } from '../src/paths.js';
import { readJsonl } from './support/fixtures.js';

const REQUIRED_IDS = `what-is-kap what-is-ketamine how-ketamine-works neuroplasticity-window default-mode-network
  session-experience therapy-component effectiveness evidence-quality non-response onset-speed treatment-course
  duration-of-effects maintenance-boosters duration-factors who-is-it-for contraindications pregnancy-breastfeeding
  adolescents substance-use-history bipolar-depression other-conditions side-effects serious-risks addiction-risk
  medication-interactions driving-after monitoring-setting routes-of-administration spravato-esketamine legal-status
  preparing-for-session during-session after-session insurance-cost choosing-a-provider getting-started
  vs-antidepressants vs-other-treatments recreational-vs-medical suicidal-thoughts-and-ketamine lifestyle-support
  about-this-assistant therapy-and-session-count acute-crisis-fit intense-experience-needed moderate-depression
  at-home-ketamine typical-costs drug-tests memory-of-session`.split(/\s+/);

/** Entries about efficacy or safety need at least two sources. */
const EFFICACY_OR_SAFETY = [
  'effectiveness',
  'evidence-quality',
  'side-effects',
  'serious-risks',
  'addiction-risk',
  'contraindications',
  'pregnancy-breastfeeding',
  'medication-interactions',
];

describe('the shipped corpus', () => {
  let entries: Entry[];
  beforeAll(async () => {
    const result = await loadCorpus(resolveFromRoot('knowledge'));
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    entries = result.corpus.entries.filter((e) => e.locale === 'en');
  });

  it('has every required entry, valid, with existing related entries', () => {
    expect(entries.map((e) => e.id).sort()).toEqual([...REQUIRED_IDS].sort());
    for (const e of entries) {
      expect(e.related.length).toBeGreaterThanOrEqual(2);
      expect(e.related.length).toBeLessThanOrEqual(4);
      expect(e.alternates.length).toBeGreaterThanOrEqual(6);
    }
  });

  it('reads at grade 10 or below (Flesch-Kincaid), in about 80-250 words', () => {
    const hard = entries.map((e) => ({ id: e.id, grade: readingGrade(e.body) })).filter((e) => e.grade > 10);
    expect(hard).toEqual([]);
    const outOfRange = entries.map((e) => ({ id: e.id, words: wordCount(e.body) })).filter((e) => e.words < 70 || e.words > 260);
    expect(outOfRange).toEqual([]);
  });

  it('has a short answer first (summary): at most 45 words, grade 8 or below', () => {
    const bad = entries
      .map((e) => ({ id: e.id, words: wordCount(e.summary ?? ''), grade: Math.round(readingGrade(e.summary ?? '') * 10) / 10 }))
      .filter((e) => e.words < 5 || e.words > 45 || e.grade > 8);
    expect(bad).toEqual([]);
  });

  it('cites well-formed https sources, enough of them, and no phrasing twice', () => {
    for (const e of entries) {
      expect(e.sources.length).toBeGreaterThanOrEqual(EFFICACY_OR_SAFETY.includes(e.id) ? 2 : 1);
      for (const s of e.sources) {
        expect(new URL(s.url).protocol).toBe('https:');
        if (s.doi) expect(s.doi).toMatch(/^10\.\d{4,9}\/\S+$/);
        if (s.pmid) expect(s.pmid).toMatch(/^[1-9]\d{0,8}$/);
        if (s.doi && s.url.startsWith('https://doi.org/')) expect(s.url).toBe(`https://doi.org/${s.doi}`);
      }
    }
    const seen = new Map<string, string>();
    for (const e of entries) {
      for (const phrasing of [e.question, ...e.alternates]) {
        const key = phrasingKey(phrasing);
        expect(seen.get(key) ?? e.id).toBe(e.id);
        seen.set(key, e.id);
      }
    }
  });

  it('never states the commonly misstated claims', () => {
    const text = (id: string) => entries.find((e) => e.id === id)!.body.toLowerCase();
    const all = entries.map((e) => e.body.toLowerCase()).join('\n');
    expect(all).not.toMatch(/committed suicide/);
    expect(all).not.toMatch(/ketamine is (fda[- ])?approved for depression/);
    expect(all).not.toMatch(/\b(7\d|8\d|9\d)\s?%/);
    expect(all).not.toMatch(/not addictive/);
    // Suicidal thoughts never make someone "not eligible" (saying that they do not is fine).
    expect(all).not.toMatch(/\b(are|is|be|become)\s+(not eligible|ineligible)\b/);
    expect(all).not.toMatch(/(?<!not |n't )\bmakes? (you|someone|them|a person) ineligible/);
    expect(text('driving-after')).toMatch(/next day/);
    expect(entries.find((e) => e.id === 'suicidal-thoughts-and-ketamine')!.showCrisisResources).toBe(true);
    // Clinic specifics come from configuration, never from entry text.
    expect(all).not.toMatch(/\(?\d{3}\)?[ .-]\d{3}[ .-]\d{4}/);
  });
});

/**
 * Spanish runs longer than English for the same content: here a median of 1.16 words per English word
 * (1.13-1.25). The English guideline of about 80-250 words (checked as 70-260) becomes 70-300 in Spanish,
 * and a translation may not be much longer or shorter than its English entry (something added or left out).
 */
const ES_MAX_WORDS = 300;
const ES_LENGTH_RATIO = [0.85, 1.3];
/** Spanish-language sources a translation may add beside the English entry's (authoritative, checked). */
const SPANISH_SOURCE_PREFIXES = [
  'https://medlineplus.gov/spanish/',
  'https://www.cuidadodesalud.gov/es/',
  'https://fda.gov/news-events/press-announcements/la-fda-',
  'https://www.fda.gov/news-events/press-announcements/la-fda-',
];

describe('the Spanish corpus', () => {
  let english: Map<string, Entry>;
  let spanish: Map<string, Entry>;
  let all: Entry[];
  beforeAll(async () => {
    const result = await loadCorpus(resolveFromRoot('knowledge'));
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    all = result.corpus.entries;
    english = new Map(all.filter((e) => e.locale === 'en').map((e) => [e.id, e]));
    spanish = new Map(all.filter((e) => e.locale === 'es').map((e) => [e.id, e]));
  });

  it('has an entry for every English id, and none that English lacks', () => {
    expect([...spanish.keys()].sort()).toEqual([...english.keys()].sort());
  });

  it('follows the current English version of each entry (translatedFrom), so none is due for review', () => {
    expect(translationsDue(all)).toEqual([]);
    for (const [id, e] of spanish) expect([id, e.translatedFrom]).toEqual([id, translationHash(english.get(id)!)]);
  });

  it('keeps what is not language: evidence, caveat presence, related ids, crisis and contact flags, a summary', () => {
    for (const [id, es] of spanish) {
      const en = english.get(id)!;
      const shape = (e: Entry) => ({
        id,
        evidence: e.evidence,
        caveat: Boolean(e.caveat),
        related: e.related,
        showCrisisResources: e.showCrisisResources,
        showClinicContact: e.showClinicContact,
        summary: Boolean(e.summary),
      });
      expect(shape(es)).toEqual(shape(en));
    }
  });

  it('reads "bastante fácil" or easier (INFLESZ at least 55, summaries too), in 70-300 words, close to its English length', () => {
    const hard = [...spanish.values()].map((e) => ({ id: e.id, inflesz: Math.round(inflesz(e.body)) })).filter((e) => e.inflesz < 55);
    expect(hard).toEqual([]);
    const odd = [...spanish.values()]
      .map((e) => ({ id: e.id, words: wordCount(e.body), ratio: wordCount(e.body) / wordCount(english.get(e.id)!.body) }))
      .filter((e) => e.words < 70 || e.words > ES_MAX_WORDS || e.ratio < ES_LENGTH_RATIO[0] || e.ratio > ES_LENGTH_RATIO[1]);
    expect(odd).toEqual([]);
    const hardSummaries = [...spanish.values()].filter((e) => inflesz(e.summary ?? '') < 55 || wordCount(e.summary ?? '') > 45);
    expect(hardSummaries.map((e) => e.id)).toEqual([]);
  });

  it('cites every source of its English entry, plus only checked Spanish-language pages', () => {
    for (const [id, es] of spanish) {
      const urls = es.sources.map((s) => s.url);
      const englishUrls = english.get(id)!.sources.map((s) => s.url);
      expect({ id, missing: englishUrls.filter((u) => !urls.includes(u)) }).toEqual({ id, missing: [] });
      const added = urls.filter((u) => !englishUrls.includes(u));
      expect({ id, unchecked: added.filter((u) => !SPANISH_SOURCE_PREFIXES.some((p) => u.startsWith(p))) }).toEqual({ id, unchecked: [] });
      expect(new Set(urls).size).toBe(urls.length);
    }
  });

  it('has at least 20 alternates per entry, none repeated within or across entries (ignoring accents, case, ¿?)', () => {
    const owner = new Map<string, string>();
    const repeated: string[] = [];
    for (const e of spanish.values()) {
      expect({ id: e.id, enough: e.alternates.length >= 20 }).toEqual({ id: e.id, enough: true });
      for (const phrasing of [e.question, ...e.alternates]) {
        const key = phrasingKey(phrasing);
        const first = owner.get(key);
        if (first !== undefined) repeated.push(`${e.id} and ${first}: ${phrasing}`);
        owner.set(key, e.id);
      }
    }
    expect(repeated).toEqual([]);
  });

  it('never states the commonly misstated claims', () => {
    const all = [...spanish.values()].map((e) => e.body.toLowerCase()).join('\n');
    expect(all).not.toMatch(/\b(7\d|8\d|9\d)\s?%/);
    expect(all).not.toMatch(/no (es|crea) adictiv/);
    expect(all).not.toMatch(/se suicid(ó|aron)/);
    expect(all).not.toMatch(/\(?\d{3}\)?[ .-]\d{3}[ .-]\d{4}/);
    expect(spanish.get('suicidal-thoughts-and-ketamine')!.showCrisisResources).toBe(true);
  });
});

describe('the development question set through batch-test', () => {
  let app: INestApplicationContext;
  beforeAll(async () => {
    process.env.DATA_DIR = mkdtempSync(path.join(tmpdir(), 'kap-corpus-'));
    app = await NestFactory.createApplicationContext(AppModule, { logger: false });
  });
  afterAll(() => app.close());

  it('reaches top-1 accuracy of at least 0.95, and every out-of-scope question gets the fallback', async () => {
    const { results, summary } = await runBatch(readJsonl<BatchLine>('questions.dev.jsonl'), app.get(ChatService));
    expect(accuracy(summary.top1)).toBeGreaterThanOrEqual(0.95);
    const outOfScope = results.filter((r) => (r.expect as string[]).includes('fallback'));
    expect(outOfScope.filter((r) => r.type !== 'fallback').map((r) => r.text)).toEqual([]);
  });
});
