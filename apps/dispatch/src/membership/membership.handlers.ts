import { EventEnvelope } from '@app/contracts';
import { OnEvent } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { MembershipService } from './membership.service';

/** Bus edge: the console's staff changes. */
@Injectable()
export class MembershipHandlers {
  constructor(private readonly membership: MembershipService) {}

  @OnEvent('staff.membership-changed.v1')
  onMembershipChanged(e: EventEnvelope<'staff.membership-changed.v1'>): Promise<void> {
    return this.membership.onMembershipChanged(e);
  }
}
