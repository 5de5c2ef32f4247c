import { QUERY_PATTERNS, QueryMap, querySubject, RevealCitizenContactQueryV2 } from '@app/contracts';
import {
  BadGatewayException,
  ConflictException,
  ForbiddenException,
  GatewayTimeoutException,
  Inject,
  Injectable,
  NotFoundException,
  OnApplicationShutdown,
  UnauthorizedException,
} from '@nestjs/common';
import { ClientProxy } from '@nestjs/microservices';
import { firstValueFrom, timeout, TimeoutError } from 'rxjs';
import { DISPATCH_CONFIG, DispatchConfig, INTAKE_QUERIES } from '../dispatch.config';

type RevealReply = QueryMap['intake.citizen-contact.reveal.v2']['reply'];

/**
 * Asks intake for a citizen's contact over NATS request/reply; intake decrypts it, refuses a citizen
 * hidden from the unit, and audits every attempt. Dispatch decides who may ask: the people handling
 * the order as dispatch knows them (the unit, the community it was passed to, the handlers a desk
 * assigned); the query carries the person's own token (signed for dispatch), which intake verifies,
 * scopes and audits in its turn (v2: nothing the caller writes about who asks is trusted).
 */
@Injectable()
export class CitizenContacts implements OnApplicationShutdown {
  constructor(
    @Inject(INTAKE_QUERIES) private readonly intake: ClientProxy,
    @Inject(DISPATCH_CONFIG) private readonly config: DispatchConfig,
  ) {}

  async reveal(q: RevealCitizenContactQueryV2): Promise<{ name: string | null; phone: string }> {
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
    if (reply.ok && reply.phone) return { name: reply.name ?? null, phone: reply.phone };
    if (reply.error === 'unauthenticated') throw new UnauthorizedException('intake did not accept your token for the contact query');
    if (reply.error === 'forbidden') throw new ForbiddenException('intake refused to reveal the contact: outside your role or scope');
    if (reply.error === 'unreadable')
      throw new ConflictException(
        '诉求人联系方式未通过完整性校验，无法读取，已告警，请联系系统管理员 the citizen’s stored contact fails its integrity check and cannot be read; operators have been alerted',
      );
    if (reply.error === 'identity_hidden')
      throw new ForbiddenException('诉求人要求对承办单位保密 the citizen asked that their identity be kept from the handling unit');
    throw new NotFoundException(`该工单没有诉求人联系方式 the order has no citizen contact (${reply.error ?? 'none'})`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.intake.close();
  }
}
