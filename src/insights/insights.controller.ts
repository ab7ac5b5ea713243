import { Body, Controller, Get, HttpCode, Inject, Post, Query, UseGuards, UsePipes } from '@nestjs/common';
import { z } from 'zod';
import { AuditLog } from '../escalation/audit-log.js';
import { LOCALES } from '../knowledge/entry.schema.js';
import { CurrentStaff, Roles, StaffAuthGuard } from '../staff/api-auth.js';
import { apiValidation } from '../staff/api-validation.js';
import type { StaffMember } from '../staff/staff.service.js';
import { Analytics } from './analytics.js';
import { TriageQueue } from './triage-queue.js';
import { TriageRepository } from './triage.repository.js';

const windowQuery = z.object({
  locale: z.enum(LOCALES).default('en'),
  days: z.coerce.number().int().min(1).max(366).default(30),
});
const analyticsQuery = z.object({
  locale: z.enum(LOCALES).optional(),
  days: z.coerce.number().int().min(1).max(366).default(30),
});
const yearQuery = z.object({ year: z.coerce.number().int().min(2000).max(2100).default(new Date().getUTCFullYear()) });
const itemsBody = z.object({ items: z.array(z.number().int().positive()).min(1).max(500) }).strict();

/**
 * Content triage and analytics for editors and admins (the yearly crisis-referral report: admins).
 * Nothing here shows a conversation: only counts, and redacted single questions that the screen judged
 * `none` in conversations that were never flagged.
 */
@Controller('api')
@UseGuards(StaffAuthGuard)
@UsePipes(apiValidation)
@Roles(['editor', 'admin'])
export class InsightsController {
  constructor(
    @Inject(TriageQueue) private readonly queue: TriageQueue,
    @Inject(TriageRepository) private readonly items: TriageRepository,
    @Inject(Analytics) private readonly analytics: Analytics,
    @Inject(AuditLog) private readonly audit: AuditLog,
  ) {}

  @Get('triage')
  triage(@Query({ schema: windowQuery }) { locale, days }: z.infer<typeof windowQuery>) {
    return this.queue.view(locale, days);
  }

  @Post('triage/dismiss')
  @HttpCode(200)
  async dismiss(@Body({ schema: itemsBody }) { items }: z.infer<typeof itemsBody>, @CurrentStaff() member: StaffMember) {
    const dismissed = await this.items.resolve(items, 'dismissed', null, member.id);
    await this.audit.record({ staffId: member.id, action: 'triage.resolve', detail: { items, resolution: 'dismissed' } });
    return { dismissed };
  }

  /** Risk levels and replies per day, the most asked entries, fallbacks by reason, thin margins. */
  @Get('analytics')
  summary(@Query({ schema: analyticsQuery }) { locale, days }: z.infer<typeof analyticsQuery>) {
    return this.analytics.summary(days, locale);
  }

  @Get('reports/crisis-referrals')
  @Roles(['admin'])
  crisisReferrals(@Query({ schema: yearQuery }) { year }: z.infer<typeof yearQuery>) {
    return this.analytics.crisisReferrals(year);
  }
}
