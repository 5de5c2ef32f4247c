import { DECIDED_BY_RULE, EventEnvelope } from '@app/contracts';
import {
  CLOCK,
  Clock,
  districtScope,
  EarlyEventError,
  FieldValidationException,
  inDistrict,
  Outbox,
  Principal,
  TransactionHost,
  TxHost,
} from '@app/platform';
import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { ClocksRepository } from '../clocks/clocks.repository';
import { ClockPausesService } from '../clocks/clock-pauses.service';
import { SlaClock } from '../clocks/sla-clock.entity';
import { PolicyCache } from '../policies/policy-cache';
import { PauseReason } from '../policies/sla-policy.entity';
import { DecideExtensionDto, ListExtensionsQuery } from './extension.dto';
import { ExtensionStatus, SlaExtension } from './extension.entity';
import { ExtensionsRepository } from './extensions.repository';

/**
 * 延期: a unit asks (through dispatch) for more working days before its deadline. The policy's rules
 * refuse what can never be granted and may approve small extensions at once; the rest waits for a
 * supervisor. An approval moves the finish clock; every decision is announced.
 */
@Injectable()
export class ExtensionsService {
  constructor(
    @Inject(TransactionHost) private readonly txHost: TxHost,
    private readonly extensions: ExtensionsRepository,
    private readonly clockRows: ClocksRepository,
    private readonly clocks: ClockPausesService,
    private readonly policyCache: PolicyCache,
    private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async onRequested(e: EventEnvelope<'ticket.extension-requested.v1'>): Promise<void> {
    const d = e.data;
    if (await this.extensions.exists(d.requestId)) return;
    const latest = await this.clockRows.latestFinish(e.ticketId);
    if (!latest) throw new EarlyEventError(`no finish clock yet for order ${e.ticketId}; retrying`);
    const cycle = d.cycle ?? latest.cycle;
    const c = await this.clockRows.openFinish(e.ticketId, cycle);
    const requestedAt = new Date(d.requestedAt);
    const x = Object.assign(new SlaExtension(), {
      id: d.requestId,
      ticketId: e.ticketId,
      districtCode: e.district,
      unitId: d.unitId,
      assignmentId: d.assignmentId,
      cycle,
      days: d.days,
      reason: d.reason,
      requestedAt,
      status: ExtensionStatus.Pending,
      dueAtRequest: c?.dueAt ?? latest.dueAt,
      grantedDays: 0,
      newDueAt: null,
      decidedBy: null,
      decidedAt: null,
      decisionNote: null,
    });
    await this.extensions.insert(x);
    const refusal = await this.ruleRefusal(x, c);
    if (refusal || !c)
      return this.decide(
        x,
        null,
        false,
        0,
        refusal ?? '本轮办理已结束 the finish clock of this cycle has stopped',
        DECIDED_BY_RULE,
        requestedAt,
      );
    const policy = await this.policyCache.get(c.policyId);
    if (c.extendedWorkingDays + x.days <= policy.autoApproveExtensionWorkingDays) {
      return this.decide(
        x,
        c,
        true,
        x.days,
        `按规则自动批准 approved by rule (up to ${policy.autoApproveExtensionWorkingDays} working days)`,
        DECIDED_BY_RULE,
        requestedAt,
      );
    }
    await this.clocks.pause(c, PauseReason.ExtensionPending, requestedAt);
  }

  /** A supervisor's decision over HTTP. */
  async decideByHand(user: Principal, id: string, dto: DecideExtensionDto): Promise<SlaExtension> {
    await this.txHost.withTransaction(async () => {
      const x = await this.extensions.lock(id);
      if (!x || !inDistrict(user, x.districtCode)) throw new NotFoundException(`no extension request ${id}`);
      if (x.status !== ExtensionStatus.Pending) {
        throw new ConflictException(
          `延期申请已处理 extension ${id} was already ${x.status} by ${x.decidedBy} at ${x.decidedAt?.toISOString()}`,
        );
      }
      const c = await this.clockRows.openFinish(x.ticketId, x.cycle);
      if (!c)
        throw new ConflictException(
          `the finish clock of cycle ${x.cycle} has stopped (the unit replied or the order closed); nothing to extend`,
        );
      const now = this.clock.now();
      if (!dto.approve) return this.decide(x, c, false, 0, dto.note!, user.id, now);
      const days = dto.days ?? x.days;
      const policy = await this.policyCache.get(c.policyId);
      if (days > x.days)
        throw new FieldValidationException([{ field: 'days', reason: `cannot grant more than the ${x.days} working days asked for` }]);
      if (c.extendedWorkingDays + days > policy.maxExtensionWorkingDays) {
        throw new FieldValidationException([
          {
            field: 'days',
            reason: `exceeds the maximum of ${policy.maxExtensionWorkingDays} working days per cycle (already granted ${c.extendedWorkingDays})`,
          },
        ]);
      }
      await this.decide(x, c, true, days, dto.note ?? null, user.id, now);
    });
    return (await this.extensions.find(id))!;
  }

  list(user: Principal, q: ListExtensionsQuery): Promise<SlaExtension[]> {
    return this.extensions.list({ districts: districtScope(user), status: q.status, ticketId: q.ticketId, limit: q.limit ?? 100 });
  }

  async get(user: Principal, id: string): Promise<SlaExtension> {
    const x = await this.extensions.find(id);
    if (!x || !inDistrict(user, x.districtCode)) throw new NotFoundException(`no extension request ${id}`);
    return x;
  }

  /** What the rules refuse outright, with the reason; null if a supervisor may grant it. */
  private async ruleRefusal(x: SlaExtension, c: SlaClock | null): Promise<string | null> {
    if (!c) return null;
    if (x.requestedAt >= c.dueAt) return `延期须在办结时限前申请 asked after the deadline (due ${c.dueAt.toISOString()})`;
    const policy = await this.policyCache.get(c.policyId);
    if (c.extendedWorkingDays + x.days > policy.maxExtensionWorkingDays) {
      return `超过最长延期 exceeds the maximum of ${policy.maxExtensionWorkingDays} working days per cycle (asked ${x.days}, already granted ${c.extendedWorkingDays})`;
    }
    const pending = await this.extensions.pendingFor(x.ticketId);
    if (pending && pending.id !== x.id) return `已有待审批的延期申请 another request is pending (${pending.id})`;
    return null;
  }

  private async decide(
    x: SlaExtension,
    c: SlaClock | null,
    approved: boolean,
    days: number,
    note: string | null,
    by: string,
    at: Date,
  ): Promise<void> {
    if (c) await this.clocks.settleExtension(c, approved ? days : 0, at);
    x.status = approved ? ExtensionStatus.Approved : ExtensionStatus.Refused;
    x.grantedDays = approved ? days : 0;
    x.newDueAt = approved && c ? c.dueAt : null;
    x.decidedBy = by;
    x.decidedAt = at;
    x.decisionNote = note;
    await this.extensions.save(x);
    await this.outbox.publish('sla.extension-decided.v1', {
      district: x.districtCode,
      ticketId: x.ticketId,
      occurredAt: at,
      data: {
        requestId: x.id,
        assignmentId: x.assignmentId,
        approved,
        days: x.grantedDays,
        ...(x.newDueAt ? { newFinishDueAt: x.newDueAt.toISOString() } : {}),
        decidedBy: by,
        ...(note ? { reason: note } : {}),
        decidedAt: at.toISOString(),
        cycle: x.cycle,
      },
    });
  }
}
