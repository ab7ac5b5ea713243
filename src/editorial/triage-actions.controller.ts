import { Body, ConflictException, Controller, HttpCode, Inject, Post, UseGuards, UsePipes } from '@nestjs/common';
import { z } from 'zod';
import { AuditLog } from '../escalation/audit-log.js';
import { phrasingKey } from '../knowledge/corpus-loader.js';
import { LOCALES } from '../knowledge/entry.schema.js';
import { TriageRepository } from '../insights/triage.repository.js';
import { CurrentStaff, Roles, StaffAuthGuard } from '../staff/api-auth.js';
import { apiValidation } from '../staff/api-validation.js';
import type { StaffMember } from '../staff/staff.service.js';
import { DraftsService } from './drafts.service.js';
import { ENTRY_ID, invalidEntry, notFound } from './editorial.controller.js';
import { addDays, isoDay } from './entry-content.js';

const items = z.array(z.number().int().positive()).min(1).max(500);
const addAlternateBody = z
  .object({
    items,
    entryId: ENTRY_ID,
    locale: z.enum(LOCALES).default('en'),
    /** The phrasing to add; the first item's text when left out (staff may reword it). */
    text: z.string().trim().min(2).max(200).optional(),
  })
  .strict();
const newEntryBody = z.object({ items, locale: z.enum(LOCALES).default('en') }).strict();

/** The triage queue's two actions, which create content: "add as alternate of entry X", "start a new entry". */
@Controller('api/triage')
@UseGuards(StaffAuthGuard)
@UsePipes(apiValidation)
@Roles(['editor', 'admin'])
export class TriageActionsController {
  constructor(
    @Inject(TriageRepository) private readonly triage: TriageRepository,
    @Inject(DraftsService) private readonly drafts: DraftsService,
    @Inject(AuditLog) private readonly audit: AuditLog,
  ) {}

  /** Adds the question as an alternate phrasing of an entry, as a new draft of it; resolves the items. */
  @Post('add-alternate')
  @HttpCode(200)
  async addAlternate(
    @Body({ schema: addAlternateBody }) body: z.infer<typeof addAlternateBody>,
    @CurrentStaff() member: StaffMember,
  ) {
    const found = await this.triage.byIds(body.items);
    if (found.length !== new Set(body.items).size) throw notFound('such triage item');
    const text = body.text ?? found[0].text;
    const current = await this.drafts.head(body.locale, body.entryId);
    if (!current?.head.content) throw notFound(`entry ${body.locale}/${body.entryId}`);
    const content = current.head.content;
    if ([content.question, ...content.alternates].some((p) => phrasingKey(p) === phrasingKey(text))) {
      throw invalidEntry([{ path: 'text', message: `"${text}" is already a phrasing of this entry` }]);
    }
    const outcome = await this.drafts.save({
      locale: body.locale,
      entryId: body.entryId,
      entry: { ...content, alternates: [...content.alternates, text] },
      baseRevision: current.state.head,
      authorId: member.id,
      note: 'alternate added from the triage queue',
    });
    if (outcome.kind === 'invalid')
      throw invalidEntry(outcome.errors.map((e) => (e.path.startsWith('entry.alternates') ? { ...e, path: 'text' } : e)));
    if (outcome.kind === 'stale')
      throw new ConflictException({ error: { code: 'stale_revision', message: 'The entry changed meanwhile: try again.' } });
    await this.triage.resolve(body.items, 'alternate', `${body.locale}/${body.entryId}`, member.id);
    await this.audit.record({
      staffId: member.id,
      action: 'corpus.draft',
      detail: { locale: body.locale, entryId: body.entryId, revision: outcome.revision.id, changes: ['alternates'] },
    });
    await this.audit.record({
      staffId: member.id,
      action: 'triage.resolve',
      detail: { items: body.items, resolution: 'alternate', entry: `${body.locale}/${body.entryId}` },
    });
    return { revision: outcome.revision.id, entryId: body.entryId, locale: body.locale, alternate: text };
  }

  /**
   * A new entry to complete, prefilled from the questions: the first as its question, the others as
   * alternates. Nothing is saved: the editor fills in the answer, evidence and sources, then saves it
   * with `PUT /api/entries/:id/draft` (`baseRevision: null`, `triageItems`), which resolves the items.
   */
  @Post('new-entry')
  @HttpCode(200)
  async newEntry(@Body({ schema: newEntryBody }) body: z.infer<typeof newEntryBody>) {
    const found = await this.triage.byIds(body.items);
    if (found.length !== new Set(body.items).size) throw notFound('such triage item');
    const phrasings: string[] = [];
    for (const item of found) {
      const text = item.text.slice(0, 200);
      if (text.length >= 5 && !phrasings.some((p) => phrasingKey(p) === phrasingKey(text))) phrasings.push(text);
    }
    const [question = '', ...alternates] = phrasings;
    const today = isoDay();
    return {
      suggestedId: suggestId(question),
      triageItems: body.items,
      entry: {
        id: suggestId(question),
        locale: body.locale,
        question: question ? question[0].toUpperCase() + question.slice(1) : '',
        alternates,
        tags: [],
        evidence: 'limited',
        sources: [],
        related: [],
        reviewed: today,
        reviewBy: addDays(today, 365),
        body: '',
      },
    };
  }
}

/** A kebab-case id from a question's first words: "Can I bring my dog?" -> "can-i-bring-my-dog". */
function suggestId(text: string): string {
  return phrasingKey(text)
    .normalize('NFKD')
    .replace(/[^a-z0-9 ]/g, '')
    .split(' ')
    .filter(Boolean)
    .slice(0, 6)
    .join('-')
    .slice(0, 60)
    .replace(/-+$/, '');
}
