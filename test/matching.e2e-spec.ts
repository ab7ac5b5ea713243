import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../src/app.module.js';
import { ChatService } from '../src/chat/chat.service.js';
import { formatQuality, runBatch, type BatchLine, type Quality } from '../src/cli/batch.js';
import { loadCorpus, type Corpus } from '../src/knowledge/corpus-loader.js';
import { LanguageDetector } from '../src/matching/language-detector.js';
import { DEFAULT_MATCH_OPTIONS, Matcher } from '../src/matching/matcher.js';
import { MatchingService } from '../src/matching/matching.service.js';
import { resolveFromRoot } from '../src/paths.js';
import { UI_STRINGS } from '../client/widget/src/shared/strings.js';
import { readJsonl } from './support/fixtures.js';

/**
 * The matcher on the shipped corpus, through the same pipeline as the widget and batch-test: the
 * evaluation sets with their thresholds, language detection, per-locale isolation, two questions in one
 * message, summary-first answers and the "Did you mean" fallback.
 */

let app: INestApplicationContext;
let chat: ChatService;
let corpus: Corpus;

beforeAll(async () => {
  const result = await loadCorpus(resolveFromRoot('knowledge'));
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  corpus = result.corpus;
  app = await NestFactory.createApplicationContext(AppModule, { logger: false });
  chat = app.get(ChatService);
});
afterAll(() => app?.close());

async function quality(file: string, locale?: 'en' | 'es'): Promise<Quality> {
  const lines = readJsonl<BatchLine>(file).map((l) => (locale ? { ...l, locale } : l));
  const { summary } = await runBatch(lines, chat);
  return summary.quality;
}
const rate = (n: number, total: number) => n / total;

describe('the evaluation sets through batch-test', () => {
  const figures: string[] = [];
  afterAll(() => process.stdout.write(`\nMatcher quality on the development sets:\n${figures.join('\n')}\n`));

  it('English dev set: right at least 0.90, wrong at most 0.03', async () => {
    const q = await quality('questions.dev.jsonl');
    figures.push(`  en dev                    ${formatQuality(q)}`);
    expect(rate(q.inScope.right, q.inScope.total)).toBeGreaterThanOrEqual(0.9);
    expect(rate(q.inScope.wrong, q.inScope.total)).toBeLessThanOrEqual(0.03);
  });

  // Questions written by people who had not seen the alternates (older held-out and blind sets, now
  // used for development). Floors against regression, a little under the figures measured when the
  // weights were chosen (right 0.83, wrong 0.02, off topic declined 0.96 over the three).
  let english: Quality;
  it('English paraphrase and visitor sets: right at least 0.80, wrong at most 0.04', async () => {
    const sets = ['questions.holdout.jsonl', 'blind/questions.blind.jsonl', 'blind2/questions.blind2.jsonl'];
    const each = await Promise.all(sets.map((s) => quality(s)));
    english = each.reduce((a, b) => ({
      inScope: {
        total: a.inScope.total + b.inScope.total,
        right: a.inScope.right + b.inScope.right,
        wrong: a.inScope.wrong + b.inScope.wrong,
        fallback: a.inScope.fallback + b.inScope.fallback,
      },
      offTopic: { total: a.offTopic.total + b.offTopic.total, declined: a.offTopic.declined + b.offTopic.declined },
    }));
    sets.forEach((s, i) => figures.push(`  en ${s.replace(/.*\//, '').padEnd(26)}${formatQuality(each[i])}`));
    expect(rate(english.inScope.right, english.inScope.total)).toBeGreaterThanOrEqual(0.8);
    expect(rate(english.inScope.wrong, english.inScope.total)).toBeLessThanOrEqual(0.04);
  });

  it('Spanish dev set (from the Spanish page): right within 5 points of English, wrong at most 0.05', async () => {
    const q = await quality('questions.dev.es.jsonl', 'es');
    figures.push(`  es dev (locale es)        ${formatQuality(q)}`);
    expect(rate(q.inScope.right, q.inScope.total)).toBeGreaterThanOrEqual(rate(english.inScope.right, english.inScope.total) - 0.05);
    expect(rate(q.inScope.wrong, q.inScope.total)).toBeLessThanOrEqual(0.05);
    // The same questions typed into the English widget are answered in Spanish just as well.
    const inEnglishWidget = await quality('questions.dev.es.jsonl', 'en');
    figures.push(`  es dev (locale en)        ${formatQuality(inEnglishWidget)}`);
    expect(rate(inEnglishWidget.inScope.right, inEnglishWidget.inScope.total)).toBeGreaterThanOrEqual(
      rate(q.inScope.right, q.inScope.total) - 0.03,
    );
  });

  // The held-out question sets (written for issues 11 and 12, measured once at first contact: EN right
  // 0.774, wrong 0.081; ES 0.451, 0.128) are development data since. Their even lines were used for
  // tuning, the odd ones only checked now and then (scripts/eval-sets.mjs). Floors a little under the
  // whole sets' figures when the weights were chosen (EN 0.80 / 0.05, ES 0.61 / 0.05).
  it('held-out sets, now development data: EN right at least 0.77, wrong at most 0.07; ES right at least 0.57, wrong at most 0.08', async () => {
    const en = await quality('heldout/questions.heldout.en.jsonl');
    const es = await quality('heldout/questions.heldout.es.jsonl', 'es');
    figures.push(`  en heldout                ${formatQuality(en)}`, `  es heldout                ${formatQuality(es)}`);
    expect(rate(en.inScope.right, en.inScope.total)).toBeGreaterThanOrEqual(0.77);
    expect(rate(en.inScope.wrong, en.inScope.total)).toBeLessThanOrEqual(0.07);
    expect(rate(es.inScope.right, es.inScope.total)).toBeGreaterThanOrEqual(0.57);
    expect(rate(es.inScope.wrong, es.inScope.total)).toBeLessThanOrEqual(0.08);
  });

  it('declines at least 95% of off-topic questions, in both languages', async () => {
    const sets: Array<[string, 'es' | undefined]> = [
      ['questions.dev.jsonl', undefined],
      ['questions.holdout.jsonl', undefined],
      ['blind/questions.blind.jsonl', undefined],
      ['blind2/questions.blind2.jsonl', undefined],
      ['heldout/questions.heldout.en.jsonl', undefined],
      ['questions.dev.es.jsonl', 'es'],
      ['heldout/questions.heldout.es.jsonl', 'es'],
    ];
    let total = 0;
    let declined = 0;
    for (const [file, locale] of sets) {
      const q = await quality(file, locale);
      total += q.offTopic.total;
      declined += q.offTopic.declined;
    }
    figures.push(`  off topic, all sets       ${declined}/${total} declined (${(declined / total).toFixed(3)})`);
    expect(declined / total).toBeGreaterThanOrEqual(0.95);
  });
});

describe('answering in the visitor language', () => {
  it('answers the four Spanish starter questions of the widget, in Spanish', async () => {
    for (const text of UI_STRINGS.es.starters) {
      const { reply } = (await chat.respond({ text, locale: 'es' })) as { reply: { type: string; locale: string; entryId: string } };
      expect({ text, type: reply.type, locale: reply.locale }).toEqual({ text, type: 'answer', locale: 'es' });
    }
  });

  it('answers a Spanish question asked in the English widget in Spanish, disclaimer and captions included', async () => {
    const outcome = await chat.respond({ text: '¿Cuáles son los efectos secundarios de la ketamina?', locale: 'en' });
    if (!('reply' in outcome)) throw new Error('refused');
    const { reply } = outcome;
    expect(reply).toMatchObject({ type: 'answer', entryId: 'side-effects', locale: 'es' });
    expect(reply.question).toBe(corpus.entries.find((e) => e.locale === 'es' && e.id === 'side-effects')!.question);
    expect(reply.disclaimer).toMatch(/consejo médico/);
    expect(reply.evidence?.label).toMatch(/evidencia|opinión/i);
    expect(reply.suggestions.length).toBeGreaterThan(0);
    for (const s of reply.suggestions) expect(s.question).toBe(corpus.entries.find((e) => e.locale === 'es' && e.id === s.id)!.question);
    // And the next message, in English, is answered in English again.
    const next = await chat.respond({
      text: 'How long does the benefit last?',
      locale: 'en',
      conversationId: reply.conversationId,
      resumeToken: reply.resumeToken,
    });
    expect('reply' in next && next.reply.locale).toBe('en');
  });

  it('detects the language of a message; short and mixed ones keep the widget locale', () => {
    const detector = new LanguageDetector(corpus.entries);
    const cases: Array<[string, 'en' | 'es', 'en' | 'es']> = [
      ['¿Es seguro el tratamiento con ketamina?', 'en', 'es'],
      ['mi mamá quiere probar la ketamina, cuanto cuesta', 'en', 'es'],
      ['cuanto cuesta la aseguranza cubre el Spravato', 'en', 'es'],
      ['How long does a session take?', 'es', 'en'],
      ['is ketamine addictive', 'es', 'en'],
      // Mixed: the side with more of its own words wins.
      ['is the Spravato cubierto por la aseguranza?', 'en', 'es'],
      ['can I drive después de la sesión or not, what do you recommend for me', 'es', 'en'],
      // Too short to tell: the widget's locale.
      ['Spravato?', 'es', 'es'],
      ['Spravato?', 'en', 'en'],
      ['ok', 'es', 'es'],
      ['ketamina', 'en', 'en'],
    ];
    for (const [text, hint, expected] of cases) expect({ text, locale: detector.detect(text, hint).locale }).toEqual({ text, locale: expected });
    expect(detector.detect('Spravato?', 'es').fromHint).toBe(true);
  });
});

describe('matching per locale', () => {
  it('gives English questions the same results with or without the Spanish corpus', () => {
    const options = { ...DEFAULT_MATCH_OPTIONS, classifierWeight: 0 };
    const both = new Matcher(corpus, options);
    const englishOnly = new Matcher({ ...corpus, entries: corpus.entries.filter((e) => e.locale === 'en') }, options);
    // The classifier of a locale is trained on that locale's entries only: the same training set either way.
    expect(both.locales.get('en')!.trainingSet()).toEqual(englishOnly.locales.get('en')!.trainingSet());
    const questions = [
      ...readJsonl<BatchLine>('questions.dev.jsonl'),
      ...readJsonl<BatchLine>('questions.holdout.jsonl'),
      { text: 'How long does a Spravato appointment last?' },
    ];
    const view = (m: Matcher, text: string) =>
      m.match(text, 'en').ranked.map((r) => `${r.entry.locale}/${r.entry.id} ${r.score.toFixed(6)}`);
    for (const q of questions) expect(view(both, q.text!)).toEqual(view(englishOnly, q.text!));
    expect(both.match('How long does a Spravato appointment last?', 'en').answer?.entry.id).toBe('during-session');
  });

  it('reports both signals of the fused score for every candidate', () => {
    const matcher = app.get(MatchingService).current;
    const result = matcher.match('Can I drive home after my ketamine session?', 'en');
    expect(result.answer?.entry.id).toBe('driving-after');
    for (const r of result.ranked) {
      expect(r.classifier).not.toBeNull();
      expect(r.score).toBeGreaterThanOrEqual((1 - DEFAULT_MATCH_OPTIONS.classifierWeight) * r.lexical - 1e-9);
      expect(r.score).toBeLessThanOrEqual((1 - DEFAULT_MATCH_OPTIONS.classifierWeight) * r.lexical + DEFAULT_MATCH_OPTIONS.classifierWeight * r.classifier! + 1e-9);
    }
  });
});

describe('what the reply says', () => {
  const respond = async (text: string, locale: 'en' | 'es' = 'en') => {
    const outcome = await chat.respond({ text, locale });
    if (!('reply' in outcome)) throw new Error('refused');
    return outcome;
  };

  it('answers the first of two questions and offers the second ("You also asked about")', async () => {
    const { reply, trace } = await respond('What does it cost, and how many visits will I need?');
    expect(reply.type).toBe('answer');
    const second = trace.match!.alsoAsked!.entry;
    expect(second.id).not.toBe(reply.entryId);
    expect(reply.html).toContain(`You also asked about: ${second.question.replace(/'/g, '&#39;')}`);
    expect(reply.suggestions[0]).toEqual({ id: second.id, question: second.question });
    const es = await respond('¿Cuánto cuesta y cuántas sesiones voy a necesitar?', 'es');
    expect(es.reply.type).toBe('answer');
    expect(es.reply.html).toContain('También preguntó por:');
  });

  it('shows the short answer first, then the full answer', async () => {
    const { reply } = await respond('What are the side effects of ketamine?');
    const entry = corpus.entries.find((e) => e.locale === 'en' && e.id === 'side-effects')!;
    expect(reply.html.indexOf('<p class="kap-summary">')).toBeLessThan(reply.html.indexOf('<div class="kap-more">'));
    expect(reply.html).toContain(`<div class="kap-more">${entry.html}</div>`);
  });

  it('leads with a close suggestion instead of saying there is no answer', async () => {
    const { reply, trace } = await respond('how long is it');
    expect(reply.type).toBe('fallback');
    expect(trace.match!.reason).toBe('ambiguous');
    expect(reply.html).toContain(`Did you mean: ${reply.suggestions[0].question}`);
    expect(reply.html).not.toMatch(/don&#39;t have a reviewed answer/);
    // Far from everything: the plain fallback.
    const far = await respond('What is the capital of France?');
    expect(far.reply.html).toMatch(/don&#39;t have a reviewed answer/);
    expect(far.reply.html).not.toMatch(/Did you mean/);
  });
});
