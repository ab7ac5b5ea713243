import { Inject, Injectable } from '@nestjs/common';
import { StorageService } from '../storage/storage.service.js';
import { OutcomeRecorder } from './outcome-recorder.js';

export interface CountRow {
  day: string;
  locale: string;
  metric: string;
  key: string;
  count: number;
}

const RISK_LEVELS = ['none', 'informational', 'concern', 'crisis'] as const;

/** Reads the daily counts (never anything that identifies a visitor or a conversation). */
@Injectable()
export class Analytics {
  constructor(
    @Inject(StorageService) private readonly storage: StorageService,
    @Inject(OutcomeRecorder) private readonly recorder: OutcomeRecorder,
  ) {}

  /** Counts between two days (inclusive, YYYY-MM-DD), for some metrics, optionally for one locale. */
  async counts(from: string, to: string, metrics: string[], locale?: string): Promise<CountRow[]> {
    await this.recorder.flush();
    let q = this.storage.db
      .selectFrom('daily_counts')
      .selectAll()
      .where('day', '>=', from)
      .where('day', '<=', to)
      .where('metric', 'in', metrics)
      .orderBy('day');
    if (locale) q = q.where('locale', '=', locale);
    return q.execute();
  }

  /** The last `days` days: risk levels and replies per day, the most asked entries, fallbacks, thin margins. */
  async summary(days: number, locale?: string) {
    const to = new Date().toISOString().slice(0, 10);
    const from = new Date(Date.now() - (days - 1) * 86_400_000).toISOString().slice(0, 10);
    const rows = await this.counts(from, to, ['risk', 'reply', 'answer', 'fallback', 'thin'], locale);
    const byDay = new Map<string, Record<string, number>>();
    const replies = new Map<string, Record<string, number>>();
    const total = (metric: string) => {
      const m = new Map<string, number>();
      for (const r of rows) if (r.metric === metric) m.set(r.key, (m.get(r.key) ?? 0) + r.count);
      return m;
    };
    for (const r of rows) {
      if (r.metric === 'risk') {
        const day = byDay.get(r.day) ?? Object.fromEntries(RISK_LEVELS.map((l) => [l, 0]));
        day[r.key] = (day[r.key] ?? 0) + r.count;
        byDay.set(r.day, day);
      } else if (r.metric === 'reply') {
        const day = replies.get(r.day) ?? {};
        day[r.key] = (day[r.key] ?? 0) + r.count;
        replies.set(r.day, day);
      }
    }
    const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    return {
      from,
      to,
      riskByDay: [...byDay].map(([day, c]) => ({ day, ...c })),
      repliesByDay: [...replies].map(([day, c]) => ({ day, ...c })),
      topEntries: sorted(total('answer')).map(([entryId, count]) => ({ entryId, count })),
      fallbacks: Object.fromEntries(sorted(total('fallback'))),
      thinMargins: sorted(total('thin')).map(([pair, count]) => {
        const [entryId, runnerUpId] = pair.split('>');
        return { entryId, runnerUpId, count };
      }),
    };
  }

  /**
   * The yearly crisis-referral report: how often the crisis resources were shown and flags raised, by
   * month, kind and language. Counts only; nothing in it identifies a visitor or a conversation.
   */
  async crisisReferrals(year: number) {
    const rows = await this.counts(`${year}-01-01`, `${year}-12-31`, ['risk', 'reply', 'crisis', 'flag']);
    const sum = (pick: (r: CountRow) => boolean) => rows.filter(pick).reduce((n, r) => n + r.count, 0);
    const by = (pick: (r: CountRow) => boolean, key: (r: CountRow) => string) => {
      const out: Record<string, number> = {};
      for (const r of rows.filter(pick)) out[key(r)] = (out[key(r)] ?? 0) + r.count;
      return out;
    };
    const isReferral = (r: CountRow) => r.metric === 'reply' && r.key === 'crisis';
    const months = Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`);
    return {
      year,
      generatedAt: new Date().toISOString(),
      messages: sum((r) => r.metric === 'risk'),
      crisisReferrals: {
        total: sum(isReferral),
        byLocale: by(isReferral, (r) => r.locale),
        byMonth: months.map((month) => ({ month, total: sum((r) => isReferral(r) && r.day.startsWith(month)) })),
      },
      followUpReferrals: sum((r) => r.metric === 'reply' && r.key === 'crisis-follow-up'),
      crisisMessagesByKind: by(
        (r) => r.metric === 'crisis',
        (r) => r.key,
      ),
      flagsRaised: {
        total: sum((r) => r.metric === 'flag'),
        byKind: by(
          (r) => r.metric === 'flag',
          (r) => r.key,
        ),
      },
      concernReferrals: sum((r) => r.metric === 'risk' && r.key === 'concern'),
      informationalWithResources: sum((r) => r.metric === 'risk' && r.key === 'informational'),
      definitions: {
        crisisReferrals: 'replies that gave the crisis resources (988, Crisis Text Line, 911) as the whole reply',
        followUpReferrals: 'softer replies in a flagged conversation that kept the crisis resources',
        crisisMessagesByKind: 'messages the safety screen judged a crisis, by kind',
        flagsRaised: 'conversations flagged for the on-call care team',
        concernReferrals: 'answers to messages showing distress, given with the 988 line and resources',
        informationalWithResources: 'answers to questions about suicide or crisis services as a topic, given with the resources',
      },
      note: 'Counts per UTC day only: no conversation, person, address or message text is kept in or behind these numbers.',
    };
  }
}
