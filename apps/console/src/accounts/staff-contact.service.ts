import { StaffContactQueryV1, StaffContactReplyV1 } from '@app/contracts';
import { PiiCipher } from '@app/platform';
import { Injectable, Logger } from '@nestjs/common';
import { AccountsRepository } from './accounts.repository';

/** Answers notify's send-time question for a person's contact: an active account's, decrypted here only. */
@Injectable()
export class StaffContactService {
  private readonly log = new Logger('StaffContact');

  constructor(
    private readonly repo: AccountsRepository,
    private readonly pii: PiiCipher,
  ) {}

  async answer(q: StaffContactQueryV1): Promise<StaffContactReplyV1> {
    const a = await this.repo.findById(q.accountId);
    if (!a) return { ok: false, error: 'not_found' };
    if (a.state !== 'active') return { ok: false, error: 'inactive' };
    const [enc, masked] = q.channel === 'sms' ? [a.mobileEnc, a.mobileMasked] : [a.emailEnc, a.emailMasked];
    if (!enc) return { ok: false, error: 'no_contact' };
    // who asked and why, never the address
    this.log.debug({ msg: 'staff contact answered', accountId: a.id, channel: q.channel, purpose: q.purpose });
    return { ok: true, address: this.pii.decrypt(enc), masked: masked ?? '***' };
  }
}
