import { Controller, ForbiddenException, Get, Inject, Req, UnauthorizedException } from '@nestjs/common';
import type { Request } from 'express';
import { FeedbackRepository } from '../chat/feedback.repository.js';
import { tokenFrom } from './auth.controller.js';
import { StaffService, type Role } from './staff.service.js';

/** Read-only reports for signed-in staff. */
@Controller('api/staff')
export class StaffApiController {
  constructor(
    @Inject(StaffService) private readonly staff: StaffService,
    @Inject(FeedbackRepository) private readonly feedback: FeedbackRepository,
  ) {}

  /** "Was this helpful?" votes per entry, for the people who edit the corpus. */
  @Get('feedback')
  async feedbackSummary(@Req() req: Request) {
    await this.require(req, ['editor', 'admin']);
    return { entries: await this.feedback.summary() };
  }

  private async require(req: Request, roles: Role[]) {
    const member = await this.staff.authenticate(tokenFrom(req.headers));
    if (!member) throw new UnauthorizedException({ error: { code: 'unauthorized', message: 'Sign in first.' } });
    if (!roles.includes(member.role))
      throw new ForbiddenException({ error: { code: 'forbidden', message: 'Your role cannot see this.' } });
    return member;
  }
}
