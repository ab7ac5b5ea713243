import {
  BadRequestException,
  Body,
  ConflictException,
  Controller,
  Delete,
  ForbiddenException,
  Get,
  HttpCode,
  Inject,
  InternalServerErrorException,
  NotFoundException,
  Param,
  Post,
  Put,
  Query,
  UseGuards,
  UsePipes,
} from '@nestjs/common';
import { z } from 'zod';
import { AnswerComposer } from '../answers/answer-composer.js';
import { ChatService } from '../chat/chat.service.js';
import { AppConfig } from '../config/app-config.js';
import { AuditLog } from '../escalation/audit-log.js';
import { LOCALES, type Locale } from '../knowledge/entry.schema.js';
import { MatchingService } from '../matching/matching.service.js';
import { CurrentStaff, Roles, StaffAuthGuard } from '../staff/api-auth.js';
import { apiValidation } from '../staff/api-validation.js';
import type { Role, StaffMember } from '../staff/staff.service.js';
import { TriageRepository } from '../insights/triage.repository.js';
import { CorpusStore } from './corpus-store.js';
import { DraftsService, type SaveOutcome } from './drafts.service.js';
import { EntriesService } from './entries.service.js';
import { LiveCorpus } from './live-corpus.service.js';
import { toEntry, validateContent, type FieldError } from './entry-content.js';
import { Publisher } from './publisher.service.js';
import { TestQuestions } from './test-questions.js';
import { revisionView } from './views.js';

export const ENTRY_ID = z
  .string()
  .max(100)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be an entry id (kebab-case)');
export const localeQuery = z.object({ locale: z.enum(LOCALES).default('en') });
const revisionId = z.coerce.number().int().positive();
const note = z.string().trim().min(1).max(500).optional();
const itemIds = z.array(z.number().int().positive()).max(500);

const draftBody = z
  .object({
    entry: z.record(z.string(), z.unknown()),
    baseRevision: z.number().int().positive().nullable(),
    note,
    /** Triage items this draft deals with: marked resolved when it is saved. */
    triageItems: itemIds.optional(),
  })
  .strict();
const retireBody = z.object({ baseRevision: z.number().int().positive(), note }).strict();
const publishBody = z.object({ revision: z.number().int().positive(), confirm: z.boolean().default(false) }).strict();
const previewBody = z.union([
  z.object({ entry: z.record(z.string(), z.unknown()) }).strict(),
  z.object({ revision: z.number().int().positive() }).strict(),
]);
const testQuestionBody = z.object({ text: z.string().trim().min(2).max(300) }).strict();
const testerBody = z.object({ text: z.string().trim().min(1).max(1000), locale: z.enum(LOCALES).default('en') }).strict();
const dueQuery = localeQuery.extend({ withinDays: z.coerce.number().int().min(0).max(3650).default(0) });

const EDITORS: Role[] = ['editor', 'admin'];

export const invalidEntry = (errors: FieldError[]) =>
  new BadRequestException({ error: { code: 'invalid_entry', message: 'The entry has problems: see errors.' }, errors });
export const notFound = (what: string) => new NotFoundException({ error: { code: 'not_found', message: `No ${what}.` } });

/**
 * The corpus-editing API: entries, drafts, publishing (with the regression check), history, preview,
 * saved test questions, the review-due list and the question tester. See README, "Corpus editing API".
 */
@Controller('api')
@UseGuards(StaffAuthGuard)
@UsePipes(apiValidation)
export class EditorialController {
  constructor(
    @Inject(EntriesService) private readonly entries: EntriesService,
    @Inject(DraftsService) private readonly drafts: DraftsService,
    @Inject(Publisher) private readonly publisher: Publisher,
    @Inject(TestQuestions) private readonly testQuestions: TestQuestions,
    @Inject(CorpusStore) private readonly store: CorpusStore,
    @Inject(AnswerComposer) private readonly composer: AnswerComposer,
    @Inject(ChatService) private readonly chat: ChatService,
    @Inject(MatchingService) private readonly matching: MatchingService,
    @Inject(TriageRepository) private readonly triage: TriageRepository,
    @Inject(AuditLog) private readonly audit: AuditLog,
    @Inject(LiveCorpus) private readonly live: LiveCorpus,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /** The live corpus and the last import of the knowledge/ baseline (what it published, what it left as drafts). */
  @Get('corpus')
  status() {
    const corpus = this.live.current;
    return {
      version: corpus.version,
      entries: corpus.entries.length,
      publishBy: this.config.get('PUBLISH_BY'),
      lastBaselineImport: this.live.lastImport,
    };
  }

  @Get('entries')
  async list(@Query({ schema: localeQuery }) { locale }: { locale: Locale }) {
    return { entries: await this.entries.list(locale) };
  }

  @Get('entries/:id')
  async detail(@Param('id', { schema: ENTRY_ID }) id: string, @Query({ schema: localeQuery }) { locale }: { locale: Locale }) {
    return (await this.entries.detail(locale, id)) ?? this.missing(locale, id);
  }

  @Get('entries/:id/revisions')
  async history(@Param('id', { schema: ENTRY_ID }) id: string, @Query({ schema: localeQuery }) { locale }: { locale: Locale }) {
    const revisions = await this.entries.history(locale, id);
    return revisions ? { revisions } : this.missing(locale, id);
  }

  @Get('entries/:id/revisions/:revision')
  async revision(
    @Param('id', { schema: ENTRY_ID }) id: string,
    @Param('revision', { schema: revisionId }) revision: number,
    @Query({ schema: localeQuery }) { locale }: { locale: Locale },
  ) {
    return (await this.entries.revision(locale, id, revision)) ?? this.missing(locale, id, revision);
  }

  /** Saves the whole entry as a draft on top of `baseRevision` (null: a new entry). */
  @Put('entries/:id/draft')
  @Roles(EDITORS)
  async saveDraft(
    @Param('id', { schema: ENTRY_ID }) id: string,
    @Query({ schema: localeQuery }) { locale }: { locale: Locale },
    @Body({ schema: draftBody }) body: z.infer<typeof draftBody>,
    @CurrentStaff() member: StaffMember,
  ) {
    const outcome = await this.drafts.save({
      locale,
      entryId: id,
      entry: body.entry,
      baseRevision: body.baseRevision,
      authorId: member.id,
      note: body.note,
    });
    const saved = await this.saved(outcome, member, locale, id);
    if (body.triageItems?.length && !saved.unchanged) {
      await this.triage.resolve(body.triageItems, 'new-entry', `${locale}/${id}`, member.id);
      await this.audit.record({
        staffId: member.id,
        action: 'triage.resolve',
        detail: { items: body.triageItems, resolution: 'new-entry', entry: `${locale}/${id}` },
      });
    }
    return saved;
  }

  /** A draft that retires the entry (visitors are no longer answered from it once published). */
  @Post('entries/:id/retire')
  @HttpCode(200)
  @Roles(EDITORS)
  async retire(
    @Param('id', { schema: ENTRY_ID }) id: string,
    @Query({ schema: localeQuery }) { locale }: { locale: Locale },
    @Body({ schema: retireBody }) body: z.infer<typeof retireBody>,
    @CurrentStaff() member: StaffMember,
  ) {
    const outcome = await this.drafts.save({
      locale,
      entryId: id,
      entry: null,
      baseRevision: body.baseRevision,
      authorId: member.id,
      note: body.note,
    });
    return this.saved(outcome, member, locale, id);
  }

  @Post('entries/:id/publish')
  @HttpCode(200)
  @Roles(EDITORS)
  async publish(
    @Param('id', { schema: ENTRY_ID }) id: string,
    @Query({ schema: localeQuery }) { locale }: { locale: Locale },
    @Body({ schema: publishBody }) body: z.infer<typeof publishBody>,
    @CurrentStaff() member: StaffMember,
  ) {
    const outcome = await this.publisher.publish({ locale, entryId: id, revision: body.revision, confirm: body.confirm, member });
    switch (outcome.kind) {
      case 'not-found':
        return this.missing(locale, id);
      case 'stale':
        throw this.stale(outcome.head.id);
      case 'forbidden':
        throw new ForbiddenException({ error: { code: 'forbidden', message: outcome.message } });
      case 'invalid':
        throw invalidEntry(outcome.errors);
      case 'needs-confirmation':
        throw new ConflictException({
          error: {
            code: 'confirmation_required',
            message: `${outcome.changes.length} question(s) would get a different answer: review the changes, then publish with "confirm": true.`,
          },
          checked: outcome.checked,
          changes: outcome.changes,
        });
      case 'index-failed':
        throw new InternalServerErrorException({
          error: {
            code: 'index_build_failed',
            message: 'The search index could not be built; nothing was published and the live corpus stays.',
          },
        });
      case 'published': {
        await this.audit.record({
          staffId: member.id,
          action: 'corpus.publish',
          detail: {
            locale,
            entryId: id,
            revision: outcome.revision.id,
            checked: outcome.checked,
            confirmedChanges: outcome.changes.length,
          },
        });
        return {
          revision: outcome.revision.id,
          number: outcome.revision.number,
          retired: outcome.revision.content === null,
          reviewed: outcome.revision.content?.reviewed ?? null,
          reviewBy: outcome.revision.content?.reviewBy ?? null,
          corpusVersion: outcome.corpusVersion,
          checked: outcome.checked,
          changes: outcome.changes,
        };
      }
    }
  }

  /** The answer exactly as the widget would show it: the same composer and sanitiser. */
  @Post('entries/:id/preview')
  @HttpCode(200)
  async preview(
    @Param('id', { schema: ENTRY_ID }) id: string,
    @Query({ schema: localeQuery }) { locale }: { locale: Locale },
    @Body({ schema: previewBody }) body: z.infer<typeof previewBody>,
  ) {
    let content;
    if ('entry' in body) {
      const validated = validateContent(body.entry, { id, locale });
      if (!validated.ok) throw invalidEntry(validated.errors);
      content = validated.content;
    } else {
      const revision = await this.store.revision(body.revision);
      if (!revision || revision.locale !== locale || revision.entryId !== id) return this.missing(locale, id, body.revision);
      if (!revision.content)
        throw invalidEntry([{ path: 'revision', message: 'this revision retires the entry: there is no answer' }]);
      content = revision.content;
    }
    return { reply: this.composer.answer(toEntry(content), { locale, risk: 'none', flagged: false }) };
  }

  @Get('entries/:id/test-questions')
  async listTestQuestions(
    @Param('id', { schema: ENTRY_ID }) id: string,
    @Query({ schema: localeQuery }) { locale }: { locale: Locale },
  ) {
    return { testQuestions: await this.testQuestions.all(locale, id) };
  }

  @Post('entries/:id/test-questions')
  @Roles(EDITORS)
  async addTestQuestion(
    @Param('id', { schema: ENTRY_ID }) id: string,
    @Query({ schema: localeQuery }) { locale }: { locale: Locale },
    @Body({ schema: testQuestionBody }) { text }: z.infer<typeof testQuestionBody>,
    @CurrentStaff() member: StaffMember,
  ) {
    if (!(await this.store.state(locale, id))) return this.missing(locale, id);
    const testQuestion = await this.testQuestions.add(locale, id, text, member.id);
    await this.audit.record({
      staffId: member.id,
      action: 'corpus.test-question',
      detail: { locale, entryId: id, added: testQuestion.id },
    });
    return { testQuestion };
  }

  @Delete('entries/:id/test-questions/:question')
  @Roles(EDITORS)
  async removeTestQuestion(
    @Param('id', { schema: ENTRY_ID }) id: string,
    @Param('question', { schema: revisionId }) question: number,
    @Query({ schema: localeQuery }) { locale }: { locale: Locale },
    @CurrentStaff() member: StaffMember,
  ) {
    if (!(await this.testQuestions.remove(locale, id, question))) throw notFound(`test question ${question} for ${locale}/${id}`);
    await this.audit.record({
      staffId: member.id,
      action: 'corpus.test-question',
      detail: { locale, entryId: id, removed: question },
    });
    return { ok: true };
  }

  @Get('review/due')
  async due(@Query({ schema: dueQuery }) { locale, withinDays }: z.infer<typeof dueQuery>) {
    return { entries: await this.entries.due(locale, withinDays) };
  }

  /**
   * The question tester: the gateway's pipeline (screen, reply policy, matcher, composer) for one
   * question, without a conversation: nothing is stored, no flag is raised, nobody is paged.
   */
  @Post('test-question')
  @HttpCode(200)
  testQuestion(@Body({ schema: testerBody }) { text, locale }: z.infer<typeof testerBody>) {
    const { decision, match, plan, reply } = this.chat.trial(text, locale);
    const [best, ...rest] = match?.ranked ?? [];
    const round = (n: number) => Math.round(n * 1000) / 1000;
    const candidate = (r: { entry: { id: string; question: string }; score: number; phrasing: number }) => ({
      id: r.entry.id,
      question: r.entry.question,
      score: round(r.score),
      phrasing: round(r.phrasing),
    });
    return {
      text,
      locale,
      risk: { level: decision.level, kind: decision.kind, reasons: decision.reasons },
      outcome: plan.kind,
      match: match
        ? {
            reason: match.reason,
            inDomain: match.inDomain,
            confidence: best ? round(best.score) : null,
            margin: best && rest[0] ? round(best.score - rest[0].score) : null,
            ...this.matching.gate,
            best: best ? candidate(best) : null,
            entry: match.answer ? candidate(match.answer) : null,
            runnersUp: rest.slice(0, 5).map(candidate),
          }
        : null,
      reply,
    };
  }

  private async saved(outcome: SaveOutcome, member: StaffMember, locale: Locale, id: string) {
    if (outcome.kind === 'invalid') throw invalidEntry(outcome.errors);
    if (outcome.kind === 'stale') {
      if (!outcome.head) throw notFound(`entry ${locale}/${id} (baseRevision must be null to create it)`);
      throw this.stale(outcome.head.id);
    }
    if (!outcome.unchanged) {
      await this.audit.record({
        staffId: member.id,
        action: 'corpus.draft',
        detail: { locale, entryId: id, revision: outcome.revision.id, changes: outcome.revision.changes },
      });
    }
    const state = (await this.store.state(locale, id))!;
    return {
      revision: outcome.revision.id,
      unchanged: outcome.unchanged,
      latest: revisionView(outcome.revision, state, new Map([[member.id, member]])),
    };
  }

  private stale(head: number) {
    return new ConflictException({
      error: {
        code: 'stale_revision',
        message: 'Someone saved a newer revision of this entry: reload it, then apply your change again.',
      },
      revision: head,
    });
  }

  private missing(locale: Locale, id: string, revision?: number): never {
    throw notFound(revision ? `revision ${revision} of ${locale}/${id}` : `entry ${locale}/${id}`);
  }
}
