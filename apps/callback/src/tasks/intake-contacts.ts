import { QUERY_PATTERNS, QueryMap, querySubject, RevealRole } from '@app/contracts';
import { Principal } from '@app/platform';
import {
  BadGatewayException,
  ConflictException,
  ForbiddenException,
  GatewayTimeoutException,
  Inject,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { ClientProxy } from '@nestjs/microservices';
import { firstValueFrom, timeout, TimeoutError } from 'rxjs';
import { CALLBACK_CONFIG, CallbackConfig, INTAKE_QUERIES } from '../callback.config';

type RevealReply = QueryMap['intake.citizen-contact.reveal.v2']['reply'];
type SurveySmsReply = QueryMap['intake.survey-sms-contact.v1']['reply'];

export interface CitizenContact {
  name: string | null;
  phone: string | null;
}

/**
 * Asks intake for a citizen's contact (request/reply over NATS) for a person: the query carries the
 * person's own bearer token, which intake verifies, scopes and audits; callback asserts nothing itself.
 */
@Injectable()
export class IntakeContacts {
  constructor(
    @Inject(INTAKE_QUERIES) private readonly intake: ClientProxy,
    @Inject(CALLBACK_CONFIG) private readonly config: CallbackConfig,
  ) {}

  async reveal(user: Principal, ticketId: string, role: RevealRole, purpose: string): Promise<CitizenContact> {
    if (!user.token) throw new UnauthorizedException('a contact is revealed only for a person with their token');
    const q = { ticketId, token: user.token, role, purpose };
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
    if (reply.error === 'unauthenticated') throw new UnauthorizedException('intake did not accept your token for the contact query');
    if (reply.error === 'forbidden') throw new ForbiddenException('intake refused to reveal the contact: outside your role or scope');
    if (reply.error === 'unreadable')
      throw new ConflictException(
        '诉求人联系方式未通过完整性校验，无法读取，已告警，请联系系统管理员 the citizen’s stored contact fails its integrity check and cannot be read; operators have been alerted',
      );
    if (!reply.ok) throw new ConflictException(`intake refused to reveal the contact: ${reply.error}`);
    return { name: reply.name ?? null, phone: reply.phone ?? null };
  }

  /**
   * The citizen's mobile for the automatic survey SMS (no person, no token: intake answers callback
   * alone, a mobile only, and audits it). Throws when intake cannot be asked (retried later).
   */
  surveySmsContact(ticketId: string, taskId: string): Promise<SurveySmsReply> {
    const q = { ticketId, taskId, purpose: 'automatic sms survey link' };
    return firstValueFrom(
      this.intake
        .send<SurveySmsReply>(querySubject(this.config.BUS_PREFIX, QUERY_PATTERNS.surveySmsContact), q)
        .pipe(timeout(this.config.QUERY_TIMEOUT_MS)),
    );
  }
}
