import { EventEnvelope } from '@app/contracts';
import { OnEvent } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { RecipientsRepository } from './recipients.repository';

/**
 * The console's staff accounts become recipients: who, which unit, which roles, and whether they
 * have a mobile or an e-mail. The address itself is asked of the console at send time; a `mobile` or
 * `email` in an event published before the console stopped sending them is ignored, never stored.
 */
@Injectable()
export class RecipientsHandlers {
  constructor(private readonly recipients: RecipientsRepository) {}

  @OnEvent('staff.membership-changed.v1')
  async membership(e: EventEnvelope<'staff.membership-changed.v1'>): Promise<void> {
    const d = e.data;
    await this.recipients.upsertMembership({
      personId: d.accountId,
      loginName: d.loginName,
      displayName: d.displayName,
      unitId: d.unitId ?? null,
      roles: d.roles,
      districts: d.districts,
      active: d.active,
      revision: d.revision,
      hasMobile: d.hasMobile ?? !!d.mobile,
      hasEmail: d.hasEmail ?? !!d.email,
      changedAt: new Date(d.changedAt),
    });
  }
}
