import { Inject, Injectable } from '@nestjs/common';
import type { ReplyPlan } from '../chat/reply-policy.js';
import { AppConfig } from '../config/app-config.js';
import type { Entry, Locale } from '../knowledge/entry.schema.js';
import { KnowledgeService } from '../knowledge/knowledge.service.js';
import { normalizeWords } from '../matching/normalize.js';
import { resolveFromRoot } from '../paths.js';
import type { CrisisKind, RiskLevel } from '../safety/lexicon.schema.js';
import { escapeHtml } from './markdown.js';
import type { ReplyBody, Resource, Suggestion } from './reply.js';
import { transcriptText } from './transcript-text.js';
import { loadReplyTexts, type ReplyTexts } from './reply-texts.js';

export type Smalltalk = 'greeting' | 'thanks' | 'goodbye';
const MAX_SUGGESTIONS = 3;

/** What the composer needs to know about the conversation. */
export interface ReplyContext {
  locale: Locale;
  risk: RiskLevel;
  flagged: boolean;
  /** A person on the care team hears about a crisis right away (paging works, or a console is open). */
  alerted?: boolean;
}

/** Bounded: transcript texts of fixed replies repeat, so a small cache holds nearly all of them. */
const TEXT_CACHE_SIZE = 2000;

const p = (text: string) => `<p>${escapeHtml(text)}</p>`;

/**
 * Builds every reply from reviewed material only: corpus entries and the reply texts in
 * knowledge/replies. It never writes medical text of its own.
 */
@Injectable()
export class AnswerComposer {
  private texts!: Record<Locale, ReplyTexts>;
  private smalltalk!: Record<Locale, Map<string, Smalltalk>>;

  constructor(
    @Inject(KnowledgeService) private readonly knowledge: KnowledgeService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {
    this.load();
    // The reply texts reload with the corpus; an invalid file throws here and the live texts stay.
    knowledge.addCompanion('Reply texts', () => this.load());
  }

  private load(): void {
    const texts = loadReplyTexts(resolveFromRoot(`${this.config.get('KNOWLEDGE_DIR')}/replies`));
    this.textCache.clear();
    this.texts = texts;
    this.smalltalk = Object.fromEntries(
      Object.entries(this.texts).map(([locale, t]) => [
        locale,
        new Map(
          Object.entries(t.smalltalk).flatMap(([kind, { words }]) =>
            words.map((w) => [normalizeWords(w).join(' '), kind as Smalltalk]),
          ),
        ),
      ]),
    ) as Record<Locale, Map<string, Smalltalk>>;
  }

  /** Composes the reply a plan describes (see chat/reply-policy.ts). */
  compose(plan: ReplyPlan, ctx: ReplyContext): ReplyBody {
    switch (plan.kind) {
      case 'crisis':
        return this.crisis(plan.crisisKind, { ...ctx, alerted: ctx.alerted ?? false });
      case 'relayed':
        return this.relayed(ctx, plan.imminent);
      case 'crisis-follow-up':
        return this.crisisFollowUp(ctx);
      case 'smalltalk':
        return this.smalltalkReply(plan.smalltalk, ctx);
      case 'answer': {
        const entry = this.knowledge.entry(ctx.locale, plan.entryId);
        const also = plan.alsoAsked ? this.knowledge.entry(ctx.locale, plan.alsoAsked) : undefined;
        // An entry removed since (a reply shown again after a corpus change) falls back.
        return entry ? this.answer(entry, ctx, also) : this.fallback([], ctx);
      }
      case 'fallback':
        return this.fallback(
          plan.suggestions.map((id) => this.knowledge.entry(ctx.locale, id)).filter((e): e is Entry => e !== undefined),
          ctx,
          plan.close === true,
        );
    }
  }

  private readonly textCache = new Map<string, string>();

  /**
   * A reply's text as staff read it in a transcript. Reply HTML is built only from sanitised corpus HTML
   * and escaped fixed texts, so reducing it to text needs no sanitiser: tags are dropped and entities
   * decoded. Cached, since replies repeat.
   */
  transcriptText(body: Pick<ReplyBody, 'html'>): string {
    let text = this.textCache.get(body.html);
    if (text === undefined) {
      text = transcriptText(body.html);
      if (this.textCache.size >= TEXT_CACHE_SIZE) this.textCache.clear();
      this.textCache.set(body.html, text);
    }
    return text;
  }

  /** "hello", "thanks!", "bye": messages that are only social, in any shipped language (and which one). */
  detectSmalltalk(text: string): Smalltalk | null {
    return this.detectSmalltalkIn(text)?.kind ?? null;
  }

  /** The kind of social message and the language whose words it used. */
  detectSmalltalkIn(text: string): { kind: Smalltalk; locale: Locale } | null {
    const key = normalizeWords(text)
      .filter((w) => !['there', 'again', 'bot', 'everyone', 'so', 'much', 'very'].includes(w))
      .join(' ');
    for (const [locale, map] of Object.entries(this.smalltalk) as Array<[Locale, Map<string, Smalltalk>]>) {
      const kind = map.get(key);
      if (kind) return { kind, locale };
    }
    return null;
  }

  /**
   * An answer, short answer first: the entry's summary, then its full answer in a `kap-more` block that
   * the widget shows behind "Read more" (a client that does not know the class shows both). A second
   * question of the same message is named at the end and offered as the first suggestion.
   */
  answer(entry: Entry, ctx: ReplyContext, alsoAsked?: Entry): ReplyBody {
    const t = this.texts[ctx.locale];
    let html = this.answerHtml(entry);
    if (entry.showClinicContact) html += this.clinicContactHtml(t);
    if (alsoAsked) html += `<p class="kap-also-asked">${escapeHtml(t.alsoAsked.replace('{question}', alsoAsked.question))}</p>`;
    const related = alsoAsked ? [alsoAsked.id, ...entry.related.filter((id) => id !== alsoAsked.id)] : entry.related;
    const wantsResources = entry.showCrisisResources;
    return this.decorate(
      {
        type: 'answer',
        entryId: entry.id,
        question: entry.question,
        html,
        sources: entry.sources,
        evidence: {
          level: entry.evidence,
          label: t.evidence[entry.evidence].label,
          caveat: entry.caveat ?? t.evidence[entry.evidence].caveat,
        },
        suggestions: this.suggestionsFor(ctx.locale, related),
      },
      ctx,
      wantsResources,
    );
  }

  /** The entry's answer HTML, summary first; built once per entry of a corpus (entries are immutable). */
  private readonly answers = new WeakMap<Entry, string>();
  private answerHtml(entry: Entry): string {
    let html = this.answers.get(entry);
    if (html === undefined) {
      html = entry.summary ? `<p class="kap-summary">${escapeHtml(entry.summary)}</p><div class="kap-more">${entry.html}</div>` : entry.html;
      this.answers.set(entry, html);
    }
    return html;
  }

  /**
   * No confident answer. When the best suggestion is close (`close`), the reply leads with it ("Did you
   * mean: ...?") and does not say there is no answer; otherwise it says so and offers what is near.
   */
  fallback(closest: Entry[], ctx: ReplyContext, close = false): ReplyBody {
    const t = this.texts[ctx.locale];
    const suggestions = closest.slice(0, MAX_SUGGESTIONS).map(toSuggestion);
    let html: string;
    if (close && suggestions.length) {
      html =
        `<p class="kap-did-you-mean">${escapeHtml(t.fallback.didYouMean.replace('{question}', suggestions[0].question))}</p>` +
        p(t.fallback.didYouMeanHint);
    } else {
      html = p(t.fallback.text) + p(this.fill(t.fallback.contact, ctx.locale)) + this.clinicContactHtml(t, false);
      if (suggestions.length) html += p(t.fallback.suggestionsIntro);
    }
    return this.decorate(
      { type: 'fallback', entryId: null, question: null, html, sources: [], evidence: null, suggestions },
      ctx,
    );
  }

  smalltalkReply(kind: Smalltalk, ctx: ReplyContext): ReplyBody {
    const t = this.texts[ctx.locale];
    const suggestions = kind === 'greeting' ? this.suggestionsFor(ctx.locale, t.starterTopics) : [];
    return this.decorate(
      {
        type: 'fallback',
        entryId: null,
        question: null,
        html: p(t.smalltalk[kind].text),
        sources: [],
        evidence: null,
        suggestions,
      },
      ctx,
    );
  }

  /**
   * The crisis reply, in the order of safe-messaging practice: acknowledgement, resources (911 first
   * when the danger is immediate), that this is an automated assistant, that the care team was alerted
   * (only when it was), the direct question, one line of hope. Never an FAQ answer in the same turn.
   */
  crisis(kind: CrisisKind, ctx: ReplyContext & { alerted: boolean }): ReplyBody {
    const t = this.texts[ctx.locale].crisis;
    const person = kind === 'third-party' ? 'third-party' : 'self';
    const resources = this.resources(ctx.locale, kind === 'imminent');
    let html = p(t.acknowledgement[person]);
    if (kind === 'imminent') html += `<p><strong>${escapeHtml(t.imminentFirst)}</strong></p>`;
    html += p(t.resourcesIntro[person]) + resourceListHtml(resources);
    if (kind === 'third-party') html += p(t.thirdPartyGuidance);
    html += p(t.automated);
    if (ctx.alerted) html += p(t.alerted) + p(t.leaveContact);
    html += p(t.safetyQuestion[person]) + p(t.hope);
    return { ...this.crisisBody(html, resources, { ...ctx, risk: 'crisis' }, kind), contactInvited: ctx.alerted };
  }

  /** After "never mind" in a flagged conversation: a softer tone, the resources still there. */
  crisisFollowUp(ctx: ReplyContext): ReplyBody {
    const resources = this.resources(ctx.locale, false);
    const html = p(this.texts[ctx.locale].crisis.followUp) + resourceListHtml(resources);
    return this.crisisBody(html, resources, ctx, null);
  }

  /**
   * A person from the care team is in the conversation: the message went to them, not to the FAQ. The bot
   * says nothing; in a flagged conversation the resources banner stays (911 first when imminent).
   */
  relayed(ctx: ReplyContext, imminent = false): ReplyBody {
    const resources = ctx.flagged ? this.resources(ctx.locale, imminent) : [];
    return {
      type: 'relayed',
      locale: ctx.locale,
      entryId: null,
      question: null,
      html: '',
      sources: [],
      evidence: null,
      suggestions: [],
      risk: ctx.risk,
      crisisKind: null,
      resources,
      disclaimer: this.texts[ctx.locale].disclaimer,
      flagged: ctx.flagged,
      contactInvited: false,
    };
  }

  /** The text of a fixed notice (a staff member joined or left). */
  noticeText(which: 'staffJoined' | 'staffLeft', locale: Locale): string {
    return this.texts[locale].crisis[which];
  }

  private crisisBody(html: string, resources: Resource[], ctx: ReplyContext, kind: CrisisKind | null): ReplyBody {
    return {
      type: 'crisis',
      locale: ctx.locale,
      risk: ctx.risk,
      crisisKind: kind,
      entryId: null,
      question: null,
      html,
      sources: [],
      evidence: null,
      suggestions: [],
      resources,
      disclaimer: this.texts[ctx.locale].disclaimer,
      flagged: true,
      contactInvited: false,
    };
  }

  /**
   * Adds what every non-crisis reply carries: the disclaimer, and a resources line with the resources
   * when the message showed distress, touched on suicide, or the conversation is flagged.
   */
  private decorate(
    body: Pick<ReplyBody, 'type' | 'entryId' | 'question' | 'html' | 'sources' | 'evidence' | 'suggestions'>,
    ctx: ReplyContext,
    forceResources = false,
  ): ReplyBody {
    const t = this.texts[ctx.locale];
    const line = ctx.flagged
      ? t.resourcesLine.flagged
      : ctx.risk === 'concern'
        ? t.resourcesLine.concern
        : ctx.risk === 'informational' || forceResources
          ? t.resourcesLine.informational
          : null;
    return {
      ...body,
      locale: ctx.locale,
      html: line ? `<p class="kap-resources-line">${escapeHtml(line)}</p>${body.html}` : body.html,
      risk: ctx.risk,
      crisisKind: null,
      resources: line ? this.resources(ctx.locale, false) : [],
      disclaimer: t.disclaimer,
      flagged: ctx.flagged,
      contactInvited: false,
    };
  }

  private suggestionsFor(locale: Locale, ids: string[]): Suggestion[] {
    return ids
      .map((id) => this.knowledge.entry(locale, id))
      .filter((e): e is Entry => e !== undefined)
      .slice(0, MAX_SUGGESTIONS)
      .map(toSuggestion);
  }

  /** The region's crisis resources, the clinic's line only when configured, 911 first when urgent. */
  resources(locale: Locale, immediateFirst: boolean): Resource[] {
    const clinic = this.config.clinic;
    const templates = this.texts[locale].resources[this.config.get('CRISIS_REGION')] ?? [];
    const list = templates
      .filter((r) => !r.href.includes('{clinicPhone}') || clinic.phone)
      .map((r) => ({
        id: r.id,
        label: this.fill(r.label, locale),
        href: r.href.replace('{clinicPhone}', (clinic.phone ?? '').replace(/[^+0-9]/g, '')),
        description: this.fill(r.description, locale),
        immediate: r.immediate,
      }));
    const ordered = [
      ...list.filter((r) => r.immediate === immediateFirst),
      ...list.filter((r) => r.immediate !== immediateFirst),
    ];
    return ordered.map(({ immediate: _immediate, ...r }) => r);
  }

  private clinicContactHtml(t: ReplyTexts, withHeading = true): string {
    const { phone, email, url, hours } = this.config.clinic;
    const items: string[] = [];
    const link = (label: string, href: string) => `<a href="${escapeHtml(href)}">${escapeHtml(label)}</a>`;
    if (phone)
      items.push(escapeHtml(t.clinicContact.phone).replace('{phone}', link(phone, `tel:${phone.replace(/[^+0-9]/g, '')}`)));
    if (email) items.push(escapeHtml(t.clinicContact.email).replace('{email}', link(email, `mailto:${email}`)));
    if (url)
      items.push(
        escapeHtml(t.clinicContact.url).replace(
          '{url}',
          `<a href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer">${escapeHtml(url)}</a>`,
        ),
      );
    if (hours) items.push(escapeHtml(t.clinicContact.hours.replace('{hours}', hours)));
    if (items.length === 0) return '';
    const heading = withHeading ? p(this.fill(t.clinicContact.heading, t.locale)) : '';
    return `${heading}<ul class="kap-clinic-contact">${items.map((i) => `<li>${i}</li>`).join('')}</ul>`;
  }

  private fill(text: string, locale: Locale = 'en'): string {
    return text.replace(/\{clinicName\}/g, this.config.clinic.name ?? this.texts[locale].clinicFallbackName);
  }
}

function toSuggestion(e: Entry): Suggestion {
  return { id: e.id, question: e.question };
}

function resourceListHtml(resources: Resource[]): string {
  const items = resources.map(
    (r) =>
      `<li><a href="${escapeHtml(r.href)}"${r.href.startsWith('https:') ? ' target="_blank" rel="noopener noreferrer"' : ''}>${escapeHtml(r.label)}</a>: ${escapeHtml(r.description)}</li>`,
  );
  return `<ul class="kap-crisis-resources">${items.join('')}</ul>`;
}
