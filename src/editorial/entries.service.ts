import { Inject, Injectable } from '@nestjs/common';
import type { Locale } from '../knowledge/entry.schema.js';
import { StaffService } from '../staff/staff.service.js';
import { CorpusStore, type EntryState, type Revision } from './corpus-store.js';
import { addDays, isoDay } from './entry-content.js';
import { entryStatus, entrySummary, revisionView, type People } from './views.js';

/** Read views of the corpus store for the editor screens. */
@Injectable()
export class EntriesService {
  constructor(
    @Inject(CorpusStore) private readonly store: CorpusStore,
    @Inject(StaffService) private readonly staff: StaffService,
  ) {}

  private async people(): Promise<People> {
    return new Map((await this.staff.list()).map((m) => [m.id, m]));
  }

  private async withRevisions(states: EntryState[]) {
    const revisions = await this.store.revisionsByIds(states.flatMap((s) => (s.live === null ? [s.head] : [s.head, s.live])));
    return states.map((state) => ({
      state,
      head: revisions.get(state.head) as Revision,
      live: state.live === null ? null : (revisions.get(state.live) as Revision),
    }));
  }

  async list(locale: Locale) {
    const people = await this.people();
    const today = isoDay();
    return (await this.withRevisions(await this.store.states(undefined, locale))).map(({ state, head, live }) =>
      entrySummary(state, head, live, people, today),
    );
  }

  /** The entry's latest revision (what an editor edits), with the live one to compare. */
  async detail(locale: Locale, entryId: string) {
    const state = await this.store.state(locale, entryId);
    if (!state) return null;
    const [{ head, live }] = await this.withRevisions([state]);
    const people = await this.people();
    return {
      entry: head.content,
      revision: head.id,
      status: entryStatus(state, head, live),
      liveRevision: state.live,
      live: live?.content ?? null,
      latest: revisionView(head, state, people),
    };
  }

  async history(locale: Locale, entryId: string) {
    const state = await this.store.state(locale, entryId);
    if (!state) return null;
    const people = await this.people();
    return (await this.store.history(locale, entryId)).map((r) => revisionView(r, state, people));
  }

  async revision(locale: Locale, entryId: string, id: number) {
    const state = await this.store.state(locale, entryId);
    const revision = await this.store.revision(id);
    if (!state || !revision || revision.locale !== locale || revision.entryId !== entryId) return null;
    return { entry: revision.content, revision: revisionView(revision, state, await this.people()), file: revision.source };
  }

  /**
   * Live entries whose `reviewBy` date has passed (or comes within `withinDays`), soonest first.
   * Publishing an entry (its live revision again, if nothing changed) records the review.
   */
  async due(locale: Locale, withinDays = 0) {
    const today = isoDay();
    const limit = addDays(today, withinDays);
    const people = await this.people();
    return (await this.withRevisions(await this.store.states(undefined, locale)))
      .filter(({ live }) => live?.content && live.content.reviewBy < limit)
      .map(({ state, head, live }) => ({
        ...entrySummary(state, head, live, people, today),
        overdueDays: Math.max(0, Math.round((Date.parse(today) - Date.parse(live!.content!.reviewBy)) / 86_400_000)),
      }))
      .sort((a, b) => (a.reviewBy as string).localeCompare(b.reviewBy as string) || a.id.localeCompare(b.id));
  }
}
