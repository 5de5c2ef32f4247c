import { QUERY_PATTERNS, QueryMap, querySubject, RevealCitizenContactQueryV1 } from '@app/contracts';
import { BadGatewayException, ConflictException, GatewayTimeoutException, Inject, Injectable } from '@nestjs/common';
import { ClientProxy } from '@nestjs/microservices';
import { firstValueFrom, timeout, TimeoutError } from 'rxjs';
import { CALLBACK_CONFIG, CallbackConfig, INTAKE_QUERIES } from '../callback.config';

type RevealReply = QueryMap['intake.citizen-contact.reveal.v1']['reply'];

export interface CitizenContact {
  name: string | null;
  phone: string | null;
}

/** Asks intake for a citizen's contact (request/reply over NATS); intake audits every reveal. */
@Injectable()
export class IntakeContacts {
  constructor(
    @Inject(INTAKE_QUERIES) private readonly intake: ClientProxy,
    @Inject(CALLBACK_CONFIG) private readonly config: CallbackConfig,
  ) {}

  async reveal(q: RevealCitizenContactQueryV1): Promise<CitizenContact> {
    let reply: RevealReply;
    try {
      reply = await firstValueFrom(
        this.intake
          .send<RevealReply>(querySubject(this.config.BUS_PREFIX, QUERY_PATTERNS.revealCitizenContact), q)
          .pipe(timeout(this.config.QUERY_TIMEOUT_MS)),
      );
    } catch (e) {
      if (e instanceof TimeoutError) throw new GatewayTimeoutException('intake did not answer the contact query in time');
      throw new BadGatewayException(`intake could not answer the contact query: ${(e as Error).message ?? String(e)}`);
    }
    if (!reply.ok) throw new ConflictException(`intake refused to reveal the contact: ${reply.error}`);
    return { name: reply.name ?? null, phone: reply.phone ?? null };
  }
}
