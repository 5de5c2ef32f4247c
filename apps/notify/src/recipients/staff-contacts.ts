import { QUERY_PATTERNS, QueryMap, querySubject, StaffContactChannel } from '@app/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { ClientProxy } from '@nestjs/microservices';
import { firstValueFrom, timeout, TimeoutError } from 'rxjs';
import { SendError } from '../delivery/channels';
import { NOTIFY_CONFIG, NotifyConfig } from '../notify.config';

export const CONSOLE_QUERIES = Symbol('CONSOLE_QUERIES');

type Reply = QueryMap['console.staff-contact.v1']['reply'];

/**
 * A staff member's work mobile or e-mail, asked of the console (which owns the accounts and keeps
 * the contact encrypted) at the moment a message is sent, and forgotten after: notify stores no staff
 * contact, and the membership event carries none. The console not answering is a failure that may
 * pass (retried with back-off); an account without the contact, or disabled, is a dead end.
 */
@Injectable()
export class StaffContacts {
  constructor(
    @Inject(CONSOLE_QUERIES) private readonly console: ClientProxy,
    @Inject(NOTIFY_CONFIG) private readonly config: NotifyConfig,
  ) {}

  async address(accountId: string, channel: StaffContactChannel, purpose: string): Promise<{ address: string; masked: string }> {
    let reply: Reply;
    try {
      reply = await firstValueFrom(
        this.console
          .send<Reply>(querySubject(this.config.BUS_PREFIX, QUERY_PATTERNS.staffContact), { accountId, channel, purpose })
          .pipe(timeout(this.config.NOTIFY_QUERY_TIMEOUT_MS)),
      );
    } catch (e) {
      const why = e instanceof TimeoutError ? 'did not answer in time' : `could not be asked: ${(e as Error).message ?? String(e)}`;
      throw new SendError(`the console ${why} (staff contact)`, false, 'contact_unavailable');
    }
    if (!reply.ok || !reply.address) {
      throw new SendError(
        `the console has no ${channel === 'sms' ? 'mobile' : 'e-mail'} for the person (${reply.error ?? 'no_contact'})`,
        true,
        reply.error === 'inactive' || reply.error === 'not_found' ? 'recipient_inactive' : 'no_contact',
      );
    }
    return { address: reply.address, masked: reply.masked ?? '***' };
  }
}
