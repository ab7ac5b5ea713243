import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { FeedbackRepository } from '../chat/feedback.repository.js';
import type { Locale } from '../knowledge/entry.schema.js';
import { KnowledgeService } from '../knowledge/knowledge.service.js';
import { Analytics } from './analytics.js';
import { groupSimilar } from './similarity.js';
import { TriageRepository, type TriageItem } from './triage.repository.js';

const itemView = (i: TriageItem) => ({ id: i.id, text: i.text, at: i.at });

/**
 * One queue of content work: unanswered questions grouped by similarity and counted, answers marked
 * unhelpful, and answers won by a thin margin. Each item carries what the two actions need: the texts
 * and their ids, and the entries they came closest to ("add as alternate of entry X", "start a new
 * entry from this"). Counts come from the daily counts and are there even without TRIAGE_STORE_TEXT.
 */
@Injectable()
export class TriageQueue {
  constructor(
    @Inject(TriageRepository) private readonly items: TriageRepository,
    @Inject(Analytics) private readonly analytics: Analytics,
    @Inject(FeedbackRepository) private readonly feedback: FeedbackRepository,
    @Inject(KnowledgeService) private readonly knowledge: KnowledgeService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  private entry(locale: Locale, id: string | null) {
    if (!id) return null;
    const e = this.knowledge.entry(locale, id);
    return { id, question: e?.question ?? null };
  }

  async view(locale: Locale, days: number) {
    const summary = await this.analytics.summary(days, locale);
    const open = await this.items.open(locale);
    const ofKind = (kind: TriageItem['kind']) => open.filter((i) => i.kind === kind);

    const unanswered = groupSimilar(ofKind('unanswered')).map((group) => {
      const closest = new Map<string, number>();
      const reasons: Record<string, number> = {};
      for (const item of group) {
        if (item.reason) reasons[item.reason] = (reasons[item.reason] ?? 0) + 1;
        for (const c of item.candidates) closest.set(c.id, Math.max(closest.get(c.id) ?? 0, c.score));
      }
      return {
        count: group.length,
        text: group[0].text,
        firstAt: group.reduce((a, i) => (i.at < a ? i.at : a), group[0].at),
        lastAt: group.reduce((a, i) => (i.at > a ? i.at : a), group[0].at),
        reasons,
        closest: [...closest]
          .sort((a, b) => b[1] - a[1])
          .slice(0, 3)
          .map(([id, score]) => ({ ...this.entry(locale, id)!, score: Math.round(score * 1000) / 1000 })),
        items: group.map(itemView),
      };
    });

    const votes = await this.feedback.summary();
    const unhelpfulItems = ofKind('unhelpful');
    const unhelpful = votes
      .filter((v) => v.unhelpful > 0 && this.knowledge.entry(locale, v.entryId)?.locale === locale)
      .sort((a, b) => b.unhelpful - a.unhelpful || a.entryId.localeCompare(b.entryId))
      .map((v) => ({
        ...this.entry(locale, v.entryId)!,
        unhelpful: v.unhelpful,
        helpful: v.helpful,
        items: unhelpfulItems.filter((i) => i.entryId === v.entryId).map(itemView),
      }));

    const thinItems = ofKind('thin-margin');
    const thinMargin = summary.thinMargins.map((t) => ({
      entry: this.entry(locale, t.entryId),
      runnerUp: this.entry(locale, t.runnerUpId),
      count: t.count,
      items: thinItems.filter((i) => i.entryId === t.entryId && i.runnerUpId === t.runnerUpId).map(itemView),
    }));

    return {
      textKept: this.config.get('TRIAGE_STORE_TEXT'),
      retentionDays: this.config.get('RETENTION_DAYS'),
      from: summary.from,
      to: summary.to,
      unanswered: { counts: summary.fallbacks, groups: unanswered },
      unhelpful,
      thinMargin,
    };
  }
}
