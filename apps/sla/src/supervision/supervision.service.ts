import { EscalationTarget, EventEnvelope, Satisfaction } from '@app/contracts';
import { CLOCK, Clock, districtScope, inDistrict, Outbox, OutgoingEvent, Principal, TransactionHost, TxHost } from '@app/platform';
import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Firing, FiringStep } from '../clocks/clock-firing';
import { ClocksRepository } from '../clocks/clocks.repository';
import { SLA_CONFIG, SlaConfig } from '../sla.config';
import { SlaClock } from '../clocks/sla-clock.entity';
import { ListSupervisionQuery } from './supervision.dto';
import {
  LEVELS,
  SupervisionAction,
  SupervisionActionKind,
  SupervisionItem,
  SupervisionReason,
  SupervisionStatus,
} from './supervision.entity';
import { SupervisionRepository } from './supervision.repository';
import {
  atRiskText,
  callbackText,
  escalationText,
  flaggedDispatchText,
  flaggedMergeText,
  overdueText,
  reassignedText,
} from './supervision-text';

const SYSTEM = 'system:sla';

const ACTION_ZH: Record<SupervisionActionKind, string> = {
  [SupervisionActionKind.Opened]: '立项 opened',
  [SupervisionActionKind.Escalated]: '升级 escalated',
  [SupervisionActionKind.Reassigned]: '转办 moved to another unit',
  [SupervisionActionKind.Urged]: '催办 urged',
  [SupervisionActionKind.Comment]: '批注 comment',
  [SupervisionActionKind.Closed]: '办结销号 closed',
};

export interface ItemDetail extends SupervisionItem {
  ageHours: number;
  actions: SupervisionAction[];
}

/** The supervision list (督办清单): what puts an order on it, and what supervisors do with it. */
@Injectable()
export class SupervisionService {
  constructor(
    @Inject(TransactionHost) private readonly txHost: TxHost,
    private readonly items: SupervisionRepository,
    private readonly clockRows: ClocksRepository,
    private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SLA_CONFIG) private readonly config: SlaConfig,
  ) {}

  // ── what puts an order on the list ─────────────────────────────────────────────────────────

  /**
   * The overdue steps a tick fired, for a batch of clocks at once: a breach puts the order on the
   * list at the unit's level (one open overdue item per order; an order already on it gets the action
   * noted), an escalation step raises the item to the step's level (never lowers it; with no item open,
   * it opens one at that level). The clocks' steps are taken in order, so a breach and the steps
   * firing with it, or two clocks of one order, share one item. Writes the items, their levels and
   * their action rows set-based (a few statements for the whole batch); returns the
   * `sla.supervision-opened.v1` of each item opened, keyed by the step that opened it, for the tick
   * to publish in order with the steps' own events.
   */
  async onOverdue(firings: readonly Firing[], now: Date): Promise<Map<FiringStep, OutgoingEvent>> {
    const opened = new Map<FiringStep, OutgoingEvent>();
    // One item per order: the first overdue step of each order proposes the item it would open.
    const proposed: { opener: FiringStep; fresh: SupervisionItem }[] = [];
    const orderOf = new Map<string, number>();
    const ops: { c: SlaClock; step: Exclude<FiringStep, { kind: 'warning' }>; order: number }[] = [];
    const zone = this.config.CITY_TIME_ZONE;
    for (const { clock: c, steps } of firings) {
      for (const step of steps) {
        if (step.kind === 'warning') continue;
        let order = orderOf.get(c.ticketId);
        if (order === undefined) {
          const level = step.kind === 'escalation' ? step.target : EscalationTarget.Unit;
          order = proposed.push({ opener: step, fresh: freshItem(c, SupervisionReason.Overdue, level, overdueText(c, zone), now) }) - 1;
          orderOf.set(c.ticketId, order);
        }
        ops.push({ c, step, order });
      }
    }
    if (!ops.length) return opened;
    const held = await this.items.openOrGetMany(proposed.map((p) => p.fresh));
    const actions: Omit<SupervisionAction, 'id'>[] = [];
    const note = (itemId: string, action: SupervisionActionKind, text: string) =>
      actions.push({ itemId, at: now, actor: SYSTEM, action, label: ACTION_ZH[action], note: text });
    const raised = new Set<SupervisionItem>();
    for (const { c, step, order } of ops) {
      const { item, created } = held[order];
      if (created && proposed[order].opener === step) {
        note(item.id, SupervisionActionKind.Opened, item.summary);
        opened.set(step, openedEvent(item));
      } else if (step.kind === 'breach') note(item.id, SupervisionActionKind.Opened, overdueText(c, zone));
      if (step.kind !== 'escalation') continue;
      if (LEVELS.indexOf(step.target) > LEVELS.indexOf(item.level)) {
        item.level = step.target;
        raised.add(item);
      }
      note(item.id, SupervisionActionKind.Escalated, escalationText({ step: step.step, target: step.target, kind: c.kind }));
    }
    await this.items.saveLevels([...raised]);
    await this.items.addActions(actions);
    return opened;
  }

  /** 双交办: repeat or concentrated requests are supervised by the district from dispatch on. */
  async onDispatched(e: EventEnvelope<'ticket.dispatched.v1'>): Promise<void> {
    if (e.data.flags.length === 0) return;
    const summary = flaggedDispatchText(e.data);
    await this.open(
      e.ticketId,
      e.district,
      e.data.unitId,
      e.data.cycle,
      SupervisionReason.Repeat,
      EscalationTarget.District,
      summary,
      new Date(e.data.dispatchedAt),
    );
  }

  /**
   * 合并: a merge that leaves the order repeat or concentrated (the event carries the order's flags
   * after it) puts it on the list as a flagged dispatch does (双交办, at the district's level), naming
   * the unit and cycle of its latest finish clock, so an order that became 集中件 while a unit has it
   * is watched now, not only from its next dispatch. Once per cycle: an item of the cycle, open or
   * closed by a supervisor (销号), is never opened again by a merge, and the next dispatch finds the
   * open one (one open item per order and reason). An order sla has no clocks of is not dispatched
   * yet: nothing now; its dispatch opens the item with the merge's flags, which sla keeps for it
   * (ClockLifecycleService.onMerged).
   */
  async onMerged(e: EventEnvelope<'ticket.merged.v1'>): Promise<void> {
    const flags = e.data.flags ?? [];
    if (flags.length === 0) return;
    const c = await this.clockRows.latestFinish(e.ticketId);
    if (!c) return;
    if (await this.items.hadInCycle(e.ticketId, SupervisionReason.Repeat, c.cycle)) return;
    const summary = flaggedMergeText({ flags, citizenCount: e.data.citizenCount, cycle: c.cycle });
    await this.open(
      e.ticketId,
      c.districtCode,
      c.unitId,
      c.cycle,
      SupervisionReason.Repeat,
      EscalationTarget.District,
      summary,
      new Date(e.data.mergedAt),
    );
  }

  /**
   * 转办 / an accepted return moved the order within its cycle: the cycle's open items now name the
   * unit that holds the order (what sla's clocks of the cycle name), so urging reaches it and the
   * list filtered by unit shows it there. The move is noted on each item.
   */
  async onReassigned(ticketId: string, cycle: number, unitId: string, unitName: string | null, at: Date): Promise<void> {
    for (const item of await this.items.openOfCycleNotFor(ticketId, cycle, unitId)) {
      await this.items.moveToUnit(item.id, unitId);
      await this.action(item.id, at, SYSTEM, SupervisionActionKind.Reassigned, reassignedText({ unitId, unitName, cycle }));
    }
  }

  /** Unresolved or unsatisfied at the callback: on the list at the district's level. */
  async onCallbackCompleted(e: EventEnvelope<'callback.completed.v1'>): Promise<void> {
    const d = e.data;
    if (d.resolved && d.satisfaction !== Satisfaction.Unsatisfied) return;
    const summary = callbackText(d);
    const { item, created } = await this.open(
      e.ticketId,
      e.district,
      d.unitId,
      d.cycle,
      SupervisionReason.Unsatisfied,
      EscalationTarget.District,
      summary,
      new Date(d.completedAt),
    );
    if (!created) await this.action(item.id, new Date(d.completedAt), SYSTEM, SupervisionActionKind.Opened, summary);
  }

  /** The order closed: noted on its open items, which the supervisor still closes (销号) by hand. */
  async onOrderClosed(ticketId: string, at: Date): Promise<void> {
    for (const item of await this.items.openForTicket(ticketId)) {
      await this.action(item.id, at, SYSTEM, SupervisionActionKind.Comment, '工单已结案 the order was closed');
    }
  }

  // ── supervisors ────────────────────────────────────────────────────────────────────────────

  async list(user: Principal, q: ListSupervisionQuery): Promise<(SupervisionItem & { ageHours: number })[]> {
    const now = this.clock.now();
    const rows = await this.items.list({
      districts: districtScope(user),
      districtCode: q.districtCode,
      unitId: q.unitId,
      level: q.level,
      reason: q.reason,
      status: q.status ?? SupervisionStatus.Open,
      openedBefore: q.minAgeDays !== undefined ? new Date(now.getTime() - q.minAgeDays * 86_400_000) : undefined,
      limit: q.limit ?? 100,
    });
    return rows.map((i) => ({ ...i, ageHours: ageHours(i, now) }));
  }

  async get(user: Principal, id: string): Promise<ItemDetail> {
    const item = await this.items.find(id);
    if (!item || !inDistrict(user, item.districtCode)) throw new NotFoundException(`no supervision item ${id}`);
    return { ...item, ageHours: ageHours(item, this.clock.now()), actions: await this.items.actions(id) };
  }

  /** 催办: a note to the unit, counted, announced. */
  urge(user: Principal, id: string, note: string): Promise<ItemDetail> {
    return this.act(user, id, (item, now) => this.urgeItem(item, user, note, now));
  }

  /**
   * 临期催办, from the about-to-breach board: the order's open item in the caller's districts is urged;
   * an order not on the list yet is put on it (at_risk, at the unit's level, naming the unit its running
   * finish clock names) and urged, in one transaction.
   */
  async urgeOrder(user: Principal, ticketId: string, note: string): Promise<ItemDetail> {
    const id = await this.txHost.withTransaction(async () => {
      const now = this.clock.now();
      const open = (await this.items.openForTicket(ticketId)).filter((i) => inDistrict(user, i.districtCode));
      let item = open.length ? await this.items.lock(open[0].id) : null;
      if (!item) {
        const c = await this.clockRows.openFinish(ticketId);
        if (!c || !inDistrict(user, c.districtCode)) throw new NotFoundException(`no running finish clock for order ${ticketId}`);
        const summary = atRiskText(c, this.config.CITY_TIME_ZONE);
        item = (await this.open(ticketId, c.districtCode, c.unitId, c.cycle, SupervisionReason.AtRisk, EscalationTarget.Unit, summary, now))
          .item;
      }
      await this.urgeItem(item, user, note, now);
      return item.id;
    });
    return this.get(user, id);
  }

  private async urgeItem(item: SupervisionItem, user: Principal, note: string, now: Date): Promise<void> {
    item.urgeCount += 1;
    item.lastUrgedAt = now;
    await this.items.save(item);
    await this.action(item.id, now, user.id, SupervisionActionKind.Urged, note);
    await this.outbox.publish('sla.urged.v1', {
      district: item.districtCode,
      ticketId: item.ticketId,
      occurredAt: now,
      data: { itemId: item.id, unitId: item.unitId, urgeCount: item.urgeCount, urgedBy: user.id, note, urgedAt: now.toISOString() },
    });
  }

  comment(user: Principal, id: string, note: string): Promise<ItemDetail> {
    return this.act(user, id, (item, now) => this.action(item.id, now, user.id, SupervisionActionKind.Comment, note));
  }

  /** 销号: the supervisor is done with the item. */
  close(user: Principal, id: string, note?: string): Promise<ItemDetail> {
    return this.act(user, id, async (item, now) => {
      item.status = SupervisionStatus.Closed;
      item.closedAt = now;
      item.closedBy = user.id;
      await this.items.save(item);
      await this.action(item.id, now, user.id, SupervisionActionKind.Closed, note ?? null);
      await this.outbox.publish('sla.supervision-closed.v1', {
        district: item.districtCode,
        ticketId: item.ticketId,
        occurredAt: now,
        data: {
          itemId: item.id,
          reason: item.reason,
          ...(this.config.SUPERVISION_CLOSED_DETAILS === 'true' ? { level: item.level, unitId: item.unitId } : {}),
          closedBy: user.id,
          ...(note ? { note } : {}),
          closedAt: now.toISOString(),
        },
      });
    });
  }

  // ── internals ──────────────────────────────────────────────────────────────────────────────

  private async act(user: Principal, id: string, effect: (item: SupervisionItem, now: Date) => Promise<void>): Promise<ItemDetail> {
    await this.txHost.withTransaction(async () => {
      const item = await this.items.lock(id);
      if (!item || !inDistrict(user, item.districtCode)) throw new NotFoundException(`no supervision item ${id}`);
      if (item.status === SupervisionStatus.Closed) {
        throw new ConflictException(`督办事项已销号 item ${id} was closed at ${item.closedAt?.toISOString()} by ${item.closedBy}`);
      }
      await effect(item, this.clock.now());
    });
    return this.get(user, id);
  }

  private async open(
    ticketId: string,
    districtCode: string,
    unitId: string,
    cycle: number,
    reason: SupervisionReason,
    level: EscalationTarget,
    summary: string,
    now: Date,
  ): Promise<{ item: SupervisionItem; created: boolean }> {
    const fresh = freshItem({ ticketId, districtCode, unitId, cycle }, reason, level, summary, now);
    const r = await this.items.openOrGet(fresh);
    if (r.created) {
      await this.action(fresh.id, now, SYSTEM, SupervisionActionKind.Opened, summary);
      await this.outbox.publishMany([openedEvent(fresh)]);
    }
    return r;
  }

  private action(itemId: string, at: Date, actor: string, action: SupervisionActionKind, note: string | null): Promise<void> {
    return this.items.addAction({ itemId, at, actor, action, label: ACTION_ZH[action], note });
  }
}

/** A new open item, as `open` proposes it (the repository keeps one open item per order and reason). */
function freshItem(
  order: { ticketId: string; districtCode: string; unitId: string; cycle: number },
  reason: SupervisionReason,
  level: EscalationTarget,
  summary: string,
  now: Date,
): SupervisionItem {
  return Object.assign(new SupervisionItem(), {
    id: randomUUID(),
    ticketId: order.ticketId,
    districtCode: order.districtCode,
    unitId: order.unitId,
    reason,
    level,
    cycle: order.cycle,
    status: SupervisionStatus.Open,
    summary,
    openedAt: now,
    urgeCount: 0,
    lastUrgedAt: null,
    closedAt: null,
    closedBy: null,
  });
}

/** `sla.supervision-opened.v1` for an item just opened. */
function openedEvent(i: SupervisionItem): OutgoingEvent {
  return {
    type: 'sla.supervision-opened.v1',
    district: i.districtCode,
    ticketId: i.ticketId,
    occurredAt: i.openedAt,
    data: {
      itemId: i.id,
      reason: i.reason,
      level: i.level,
      unitId: i.unitId,
      cycle: i.cycle,
      summary: i.summary,
      openedAt: i.openedAt.toISOString(),
    },
  };
}

function ageHours(i: SupervisionItem, now: Date): number {
  return Math.floor(((i.closedAt ?? now).getTime() - i.openedAt.getTime()) / 3_600_000);
}
