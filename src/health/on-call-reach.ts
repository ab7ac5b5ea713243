import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { LiveEvents } from '../events/live-events.js';
import { PagingStatus } from '../escalation/paging-status.js';
import { StaffService } from '../staff/staff.service.js';

export interface Reach {
  /** A crisis flag reaches a person: paging is configured, or an on-call account exists to open the console. */
  reachesSomeone: boolean;
  webhook: boolean;
  onCallAccounts: number;
  consolesOpen: number;
}

/** Whether a crisis flag would reach anyone; said loudly at start-up when it would not. */
@Injectable()
export class OnCallReach implements OnApplicationBootstrap {
  private readonly logger = new Logger('OnCall');

  constructor(
    @Inject(StaffService) private readonly staff: StaffService,
    @Inject(PagingStatus) private readonly paging: PagingStatus,
    @Inject(LiveEvents) private readonly events: LiveEvents,
  ) {}

  async current(): Promise<Reach> {
    const onCallAccounts = (await this.staff.list()).filter(
      (m) => !m.disabled && (m.role === 'oncall' || m.role === 'admin'),
    ).length;
    const webhook = this.paging.configured;
    return { reachesSomeone: webhook || onCallAccounts > 0, webhook, onCallAccounts, consolesOpen: this.events.consolesOpen };
  }

  async onApplicationBootstrap(): Promise<void> {
    const reach = await this.current().catch(() => null);
    if (reach && !reach.reachesSomeone) {
      this.logger.error(
        [
          '',
          '*************************************************************************************',
          '* A CRISIS FLAG WOULD REACH NOBODY: no PAGING_WEBHOOK_URL is set and there is no    *',
          '* staff account with the oncall or admin role. Visitors in crisis still get the    *',
          '* crisis resources, but no person at the clinic is told. Add an on-call account:    *',
          '*   npm run staff -- add nurse@clinic.example --role oncall                         *',
          '* and/or configure paging (README, "On-call escalation").                          *',
          '*************************************************************************************',
        ].join('\n'),
      );
    } else if (reach && !reach.webhook) {
      this.logger.warn('No PAGING_WEBHOOK_URL: crisis flags reach on-call staff only while the console (/console) is open.');
    }
  }
}
