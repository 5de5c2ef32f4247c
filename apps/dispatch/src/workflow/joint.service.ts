import { FieldValidationException, hasRole, inUnit, Principal } from '@app/platform';
import { ConflictException, ForbiddenException, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { CoAssignment, CoAssignmentState } from './co-assignment.entity';
import { entry, IN_HAND, OrderSteps } from './order-steps';
import { WorkOrder } from './work-order.entity';
import { CoPartDto, CoUnitsDto } from './workflow.dto';

/**
 * 吹哨报到 / 联合处置: one lead unit (主办, the order's unit) and co-units (协办). The dispatcher, or the
 * head of the lead unit, calls co-units in; each signs and submits its part; the lead replies for all.
 */
@Injectable()
export class JointService {
  constructor(private readonly steps: OrderSteps) {}

  addCoUnits(user: Principal, ticketId: string, dto: CoUnitsDto): Promise<CoAssignment[]> {
    return this.steps.orders.transaction(async (m) => {
      const order = await this.steps.lockVisible(m, user, ticketId);
      const dispatcher = hasRole(user, 'dispatcher'); // of the order's district: lockVisible checked it
      const leadHead = user.roles.includes('unit_head') && !!order.unitId && inUnit(user, order.unitId);
      if (!dispatcher && !leadHead) {
        throw new ForbiddenException(
          `only the district's dispatcher or the head of the lead unit may call co-units to order ${order.orderNo}`,
        );
      }
      if (!IN_HAND.includes(order.state)) {
        throw new ConflictException(`cannot 吹哨报到 call co-units to an order that is ${order.state} (allowed: ${IN_HAND.join(', ')})`);
      }
      const existing = await this.steps.orders.coAssignments(m, ticketId);
      const now = this.steps.clock.now();
      const names: string[] = [];
      for (const [i, unitId] of dto.unitIds.entries()) {
        const unit = await this.steps.assignableUnit(m, order, unitId, `unitIds.${i}`);
        if (unit.id === order.unitId)
          throw new FieldValidationException([{ field: `unitIds.${i}`, reason: 'the lead unit cannot be its own co-unit' }]);
        if (existing.some((c) => c.unitId === unit.id)) continue;
        await this.steps.orders.addCoAssignment(
          m,
          Object.assign(new CoAssignment(), {
            id: randomUUID(),
            ticketId,
            unitId: unit.id,
            state: 'assigned',
            addedBy: user.id,
            addedAt: now,
            signedAt: null,
            signedBy: null,
            partText: null,
            submittedAt: null,
            submittedBy: null,
          }),
        );
        names.push(unit.nameZh);
      }
      if (names.length === 0) throw new ConflictException('these units are already co-units of the order');
      await this.steps.orders.addTimeline(
        m,
        entry(
          ticketId,
          now,
          user.id,
          'co_units_added',
          order.state,
          order.state,
          `吹哨报到 co-units: ${names.join(', ')}${dto.note ? `; ${dto.note}` : ''}`,
          {
            cycle: order.cycle,
          },
        ),
      );
      return this.steps.orders.coAssignments(m, ticketId);
    });
  }

  /** 协办签收. */
  coSign(user: Principal, ticketId: string): Promise<CoAssignment> {
    return this.coStep(user, ticketId, 'assigned', async (m, order, c, now) => {
      c.state = 'signed';
      c.signedAt = now;
      c.signedBy = user.id;
      await this.steps.orders.addTimeline(
        m,
        entry(ticketId, now, user.id, 'co_sign', order.state, order.state, '协办签收 co-unit signed', { unitId: c.unitId }),
      );
    });
  }

  /** 协办反馈: the co-unit's part, for the lead unit's reply. */
  coSubmit(user: Principal, ticketId: string, dto: CoPartDto): Promise<CoAssignment> {
    return this.coStep(user, ticketId, 'signed', async (m, order, c, now) => {
      c.state = 'submitted';
      c.partText = dto.partText;
      c.submittedAt = now;
      c.submittedBy = user.id;
      await this.steps.orders.addTimeline(
        m,
        entry(ticketId, now, user.id, 'co_submit', order.state, order.state, `协办反馈 co-unit part: ${dto.partText}`, {
          unitId: c.unitId,
        }),
      );
    });
  }

  private coStep(
    user: Principal,
    ticketId: string,
    from: CoAssignmentState,
    effect: (m: EntityManager, order: WorkOrder, c: CoAssignment, now: Date) => Promise<void>,
  ): Promise<CoAssignment> {
    return this.steps.orders.transaction(async (m) => {
      const order = await this.steps.lockVisible(m, user, ticketId);
      const mine = (await this.steps.orders.coAssignments(m, ticketId)).filter((c) => inUnit(user, c.unitId));
      if (mine.length === 0) throw new ForbiddenException(`you are not a member of a co-unit of order ${order.orderNo}`);
      if (!IN_HAND.includes(order.state)) {
        throw new ConflictException(`the lead unit has already replied: the order is ${order.state}`);
      }
      const c = mine.find((x) => x.state === from);
      if (!c) {
        const what = from === 'assigned' ? '协办签收 sign as a co-unit' : '协办反馈 submit the part of a co-unit';
        throw new ConflictException(`cannot ${what}: your co-unit is ${mine.map((x) => x.state).join(', ')} (allowed from: ${from})`);
      }
      await effect(m, order, c, this.steps.clock.now());
      await this.steps.orders.saveCoAssignment(m, c);
      return c;
    });
  }
}
