import { EventEnvelope } from '@app/contracts';
import { maskPhone, OnEvent, PiiCipher } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { RecipientsRepository } from './recipients.repository';

export const maskEmail = (e: string) => {
  const [local, domain] = e.split('@');
  return `${local.slice(0, 1)}***@${domain}`;
};

/** The console's staff accounts become recipients; their mobile and e-mail are encrypted here at once. */
@Injectable()
export class RecipientsHandlers {
  constructor(
    private readonly recipients: RecipientsRepository,
    private readonly pii: PiiCipher,
  ) {}

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
      mobileEnc: d.mobile ? this.pii.encrypt(d.mobile) : null,
      mobileMasked: d.mobile ? maskPhone(d.mobile) : null,
      emailEnc: d.email ? this.pii.encrypt(d.email) : null,
      emailMasked: d.email ? maskEmail(d.email) : null,
      changedAt: new Date(d.changedAt),
    });
  }
}
