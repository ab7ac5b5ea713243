import { Inject, Injectable, Logger } from '@nestjs/common';
import { ChatService } from '../chat/chat.service.js';
import { AppConfig } from '../config/app-config.js';
import type { Corpus } from '../knowledge/corpus-loader.js';
import type { Locale } from '../knowledge/entry.schema.js';
import { MatchingService, type MatchFn } from '../matching/matching.service.js';
import type { StaffMember } from '../staff/staff.service.js';
import { CorpusStore, type Revision } from './corpus-store.js';
import { contentHash, isoDay, stampReviewed, type FieldError } from './entry-content.js';
import { renderEntryFile } from './entry-file.js';
import { LiveCorpus } from './live-corpus.service.js';
import { compareOutcomes, outcomeOf, probesFor, type Outcome, type OutcomeChange, type Probe } from './regression-check.js';
import { TestQuestions } from './test-questions.js';

export interface PublishRequest {
  locale: Locale;
  entryId: string;
  /** The revision to publish: it must be the entry's latest. The live one again records a review. */
  revision: number;
  /** Publish even though some questions would now get a different outcome (the diff was shown). */
  confirm: boolean;
  member: StaffMember;
}

export type PublishOutcome =
  | { kind: 'published'; revision: Revision; corpusVersion: string; changes: OutcomeChange[]; checked: number }
  | { kind: 'not-found' }
  | { kind: 'stale'; head: Revision }
  | { kind: 'forbidden'; message: string }
  | { kind: 'invalid'; errors: FieldError[] }
  /** Some questions would get a different outcome: publishing needs `confirm: true`. */
  | { kind: 'needs-confirmation'; changes: OutcomeChange[]; checked: number }
  /** The new search index could not be built: nothing changed, the live one stays. */
  | { kind: 'index-failed'; message: string };

/**
 * Publishing: the revision to publish (with today's review date) replaces the entry in a copy of the
 * live corpus; that corpus must be valid as a whole; its search index is built completely; every
 * entry's phrasings and saved test questions go through the pipeline with both indexes, and changed
 * outcomes need the publisher's confirmation; then the store records it and the new corpus and index
 * are swapped in together, in one synchronous step. If any step fails, the live corpus stays.
 */
@Injectable()
export class Publisher {
  private readonly logger = new Logger(Publisher.name);
  /** The live corpus's outcomes, kept until it changes: each check then runs the questions once. */
  private outcomes: { version: string; byProbe: Map<string, Outcome> } | null = null;
  private readonly cacheKey = (version: string) => `${this.live.generation}:${version}`;

  constructor(
    @Inject(CorpusStore) private readonly store: CorpusStore,
    @Inject(LiveCorpus) private readonly live: LiveCorpus,
    @Inject(MatchingService) private readonly matching: MatchingService,
    @Inject(ChatService) private readonly chat: ChatService,
    @Inject(TestQuestions) private readonly testQuestions: TestQuestions,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  publish(req: PublishRequest): Promise<PublishOutcome> {
    return this.live.serial(() => this.publishNow(req));
  }

  private async publishNow(req: PublishRequest): Promise<PublishOutcome> {
    const state = await this.store.state(req.locale, req.entryId);
    if (!state) return { kind: 'not-found' };
    const head = (await this.store.revision(state.head)) as Revision;
    if (req.revision !== state.head) return { kind: 'stale', head };
    const refusal = await this.mayPublish(req.member, state.live, head);
    if (refusal) return { kind: 'forbidden', message: refusal };

    const content = head.content ? stampReviewed(head.content, isoDay()) : null;
    const built = await this.live.build({ locale: req.locale, entryId: req.entryId, content });
    if (!built.ok) {
      const file = `${req.locale}/${req.entryId}.md`;
      return {
        kind: 'invalid',
        errors: built.problems.map((p) => ({
          path: p.file === file ? (p.field ? `entry.${p.field}` : 'entry') : `${p.file}${p.field ? `#${p.field}` : ''}`,
          message: p.message,
        })),
      };
    }
    const candidate = built.corpus;
    let tryCandidate: MatchFn;
    try {
      tryCandidate = await this.matching.prepare(candidate);
    } catch (err) {
      this.logger.error(`the search index for ${req.locale}/${req.entryId} could not be built: ${(err as Error).stack ?? err}`);
      return { kind: 'index-failed', message: (err as Error).message };
    }

    const { changes, checked, after } = await this.check(candidate, tryCandidate);
    if (changes.length && !req.confirm) return { kind: 'needs-confirmation', changes, checked };

    const at = new Date().toISOString();
    const detail = { checked, confirmedChanges: changes };
    const published = await this.store.transaction(async (trx) => {
      let revision: Revision;
      if (content && contentHash(content) !== head.contentHash) {
        revision = await this.store.addRevision(trx, {
          locale: req.locale,
          entryId: req.entryId,
          parent: head,
          kind: 'publish',
          content,
          source: renderEntryFile(content, head.source),
          note: `published; reviewed ${content.reviewed}`,
          authorId: req.member.id,
          at,
          published: { by: req.member.id, detail },
        });
      } else {
        await this.store.markPublished(trx, head.id, at, req.member.id, detail);
        revision = { ...head, publishedAt: at, publishedBy: req.member.id, publishDetail: detail };
      }
      const moved = await this.store.moveEntry(
        trx,
        req.locale,
        req.entryId,
        head.id,
        { head: revision.id, live: revision.id },
        at,
      );
      return moved ? revision : null;
    });
    if (!published)
      return { kind: 'stale', head: (await this.store.revision((await this.store.state(req.locale, req.entryId))!.head))! };

    // The index was built for this very corpus object: the swap replaces two references, nothing more.
    if (!this.live.swap(candidate))
      this.logger.error(`published ${req.locale}/${req.entryId} but could not swap it in: it goes live at the next reload`);
    else this.outcomes = { version: this.cacheKey(candidate.version), byProbe: after };
    // The store has it: other instances rebuild from there (even if this one could not swap it in).
    this.live.announce(candidate.version);
    this.logger.log(`${req.locale}/${req.entryId} revision ${published.number} published by ${req.member.email}`);
    return { kind: 'published', revision: published, corpusVersion: candidate.version, changes, checked };
  }

  /**
   * An admin publishes. With PUBLISH_BY=second-editor an editor may too, but never a draft they wrote
   * part of (someone else reviews it).
   */
  private async mayPublish(member: StaffMember, liveId: number | null, head: Revision): Promise<string | null> {
    if (member.role === 'admin') return null;
    if (member.role !== 'editor' || this.config.get('PUBLISH_BY') !== 'second-editor') return 'Only an admin can publish.';
    const live = liveId === null ? null : await this.store.revision(liveId);
    const authors = new Set<string>();
    for (
      let r: Revision | undefined = head;
      r && r.id !== live?.id;
      r = r.parentId === null ? undefined : await this.store.revision(r.parentId)
    ) {
      if (r.authorId) authors.add(r.authorId);
    }
    return authors.has(member.id) ? 'A second editor must publish this: you edited this draft.' : null;
  }

  /** Runs the regression questions with the live index and the candidate's. */
  private async check(candidate: Corpus, tryCandidate: MatchFn) {
    const live = this.live.current;
    const probes = probesFor([live, candidate], await this.testQuestions.all());
    const key = (p: Probe) => `${p.locale}\n${p.text}`;
    const cache = this.outcomes?.version === this.cacheKey(live.version) ? this.outcomes.byProbe : new Map<string, Outcome>();
    const after = new Map<string, Outcome>();
    const changes = await compareOutcomes(
      probes,
      (p) => {
        let o = cache.get(key(p));
        if (!o) cache.set(key(p), (o = outcomeOf(this.chat.decide(p.text, p.locale))));
        return o;
      },
      (p) => {
        const o = outcomeOf(this.chat.decide(p.text, p.locale, tryCandidate));
        after.set(key(p), o);
        return o;
      },
    );
    this.outcomes = { version: this.cacheKey(live.version), byProbe: cache };
    return { changes, checked: probes.length, after };
  }
}
