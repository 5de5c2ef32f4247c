import { districtScope, inDistrict, PiiCipher, Principal } from '@app/platform';
import { Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DeliveriesRepository } from '../delivery/deliveries.repository';
import { MessageDelivery, SendAttempt } from '../delivery/delivery.entity';
import { Robot } from '../delivery/robot.entity';
import { CreateRobotDto, CreateRuleDto, DeliveriesQuery, DeliveryView, RobotView } from './admin.dto';
import { NotifyRule } from './rule.entity';
import { RulesRepository } from './rules.repository';

const robotView = (r: Robot, url: string): RobotView => ({
  id: r.id,
  name: r.name,
  provider: r.provider,
  unitId: r.unitId,
  districtCode: r.districtCode,
  webhookHost: new URL(url).origin,
  signed: r.secretEnc !== null,
  active: r.active,
});

const deliveryView = (d: MessageDelivery, attempts: SendAttempt[], names: Map<string, string>): DeliveryView => ({
  id: d.id,
  eventId: d.eventId,
  channel: d.channel,
  to: d.targetMasked,
  personId: d.personId,
  personName: d.personId ? (names.get(d.personId) ?? null) : null,
  robotId: d.robotId,
  kind: d.kind,
  urgent: d.urgent,
  ticketId: d.ticketId,
  districtCode: d.districtCode,
  title: d.title,
  state: d.state,
  notBefore: d.notBefore.toISOString(),
  attempts: d.attempts,
  lastError: d.lastError,
  lastReason: d.lastReason,
  sentAt: d.sentAt?.toISOString() ?? null,
  attemptLog: attempts
    .filter((a) => a.deliveryId === d.id)
    .map((a) => ({
      at: a.at.toISOString(),
      outcome: a.outcome,
      answer: a.answer,
      error: a.error,
      reason: a.reason,
      durationMs: a.durationMs,
    })),
});

/** The administrator's side: who is told of what, the group robots, and the delivery log's dead ends. */
@Injectable()
export class AdminService {
  constructor(
    private readonly rules: RulesRepository,
    private readonly deliveries: DeliveriesRepository,
    private readonly pii: PiiCipher,
  ) {}

  listRules(): Promise<NotifyRule[]> {
    return this.rules.list();
  }

  createRule(dto: CreateRuleDto): Promise<NotifyRule> {
    return this.rules.save(
      Object.assign(new NotifyRule(), {
        id: randomUUID(),
        kind: dto.kind,
        roles: dto.roles,
        audience: dto.audience,
        districtCode: dto.districtCode ?? null,
        channels: dto.channels,
        active: true,
      }),
    );
  }

  async deactivateRule(id: string): Promise<NotifyRule> {
    const r = await this.rules.find(id);
    if (!r) throw new NotFoundException(`no rule ${id}`);
    r.active = false;
    return this.rules.save(r);
  }

  async robots(user: Principal): Promise<RobotView[]> {
    const all = await this.deliveries.robots();
    return all.filter((r) => !r.districtCode || inDistrict(user, r.districtCode)).map((r) => robotView(r, this.pii.decrypt(r.urlEnc)));
  }

  async createRobot(dto: CreateRobotDto): Promise<RobotView> {
    const r = await this.deliveries.saveRobot(
      Object.assign(new Robot(), {
        id: randomUUID(),
        name: dto.name,
        provider: dto.provider,
        unitId: dto.unitId ?? null,
        districtCode: dto.districtCode ?? null,
        urlEnc: this.pii.encrypt(dto.webhookUrl),
        secretEnc: dto.secret ? this.pii.encrypt(dto.secret) : null,
        active: true,
      }),
    );
    return robotView(r, dto.webhookUrl);
  }

  async deliveriesOf(user: Principal, q: DeliveriesQuery): Promise<DeliveryView[]> {
    const rows = await this.deliveries.list(q.state ?? ['failed', 'dead'], districtScope(user), q.limit ?? 100, q.channel, q.offset ?? 0);
    const attempts = await this.deliveries.attemptsOf(rows.map((d) => d.id));
    const names = await this.deliveries.namesOf(rows.map((d) => d.personId));
    return rows.map((d) => deliveryView(d, attempts, names));
  }

  async delivery(user: Principal, id: string): Promise<DeliveryView> {
    const d = await this.deliveries.find(id);
    if (!d || !inDistrict(user, d.districtCode)) throw new NotFoundException(`no delivery ${id}`);
    return deliveryView(d, await this.deliveries.attemptsOf([d.id]), await this.deliveries.namesOf([d.personId]));
  }
}
