import { FieldValidationException, hasRole, inUnit, Principal } from '@app/platform';
import { ConflictException, ForbiddenException, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CoAssignment, CoAssignmentState } from './co-assignment.entity';
import { Order } from './order.aggregate';
import { IN_HAND, OrderSteps } from './order-steps';
import { CoPartDto, CoUnitsDto } from './workflow.dto';
import { WorkflowRepository } from './workflow.repository';

/**
 * 吹哨报到 / 联合处置: one lead unit (主办, the order's unit) and co-units (协办). The dispatcher, or the
 * head of the lead unit, calls co-units in; each signs and submits its part; the lead replies for all.
 */
@Injectable()
export class JointService {
  constructor(
    private readonly steps: OrderSteps,
    private readonly orders: WorkflowRepository,
  ) {}

  addCoUnits(user: Principal, ticketId: string, dto: CoUnitsDto): Promise<CoAssignment[]> {
    return this.steps.change(user, ticketId, async (order) => {
      const o = order.row;
      const dispatcher = hasRole(user, 'dispatcher'); // of the order's district: change() checked it
      const leadHead = user.roles.includes('unit_head') && !!o.unitId && inUnit(user, o.unitId);
      if (!dispatcher && !leadHead) {
        throw new ForbiddenException(`only the district's dispatcher or the head of the lead unit may call co-units to order ${o.orderNo}`);
      }
      if (!IN_HAND.includes(order.state)) {
        throw new ConflictException(`cannot 吹哨报到 call co-units to an order that is ${order.state} (allowed: ${IN_HAND.join(', ')})`);
      }
      const existing = await this.orders.coAssignments(ticketId);
      const added: { id: string; nameZh: string }[] = [];
      for (const [i, unitId] of dto.unitIds.entries()) {
        const unit = await this.steps.assignableUnit(o, unitId, `unitIds.${i}`);
        if (unit.id === o.unitId)
          throw new FieldValidationException([{ field: `unitIds.${i}`, reason: 'the lead unit cannot be its own co-unit' }]);
        if (existing.some((c) => c.unitId === unit.id)) continue;
        await this.orders.addCoAssignment(
          Object.assign(new CoAssignment(), {
            id: randomUUID(),
            ticketId,
            unitId: unit.id,
            state: 'assigned',
            addedBy: user.id,
            addedAt: order.now,
            signedAt: null,
            signedBy: null,
            partText: null,
            submittedAt: null,
            submittedBy: null,
          }),
        );
        added.push(unit);
      }
      if (added.length === 0) throw new ConflictException('these units are already co-units of the order');
      order.coUnitsAdded(user.id, added, dto.note);
      return this.orders.coAssignments(ticketId);
    });
  }

  /** 协办签收. */
  coSign(user: Principal, ticketId: string): Promise<CoAssignment> {
    return this.coStep(user, ticketId, 'assigned', (order, c) => {
      c.state = 'signed';
      c.signedAt = order.now;
      c.signedBy = user.id;
      order.coSigned(user.id, c.unitId);
    });
  }

  /** 协办反馈: the co-unit's part, for the lead unit's reply. */
  coSubmit(user: Principal, ticketId: string, dto: CoPartDto): Promise<CoAssignment> {
    return this.coStep(user, ticketId, 'signed', (order, c) => {
      c.state = 'submitted';
      c.partText = dto.partText;
      c.submittedAt = order.now;
      c.submittedBy = user.id;
      order.coSubmitted(user.id, c.unitId, dto.partText);
    });
  }

  private coStep(
    user: Principal,
    ticketId: string,
    from: CoAssignmentState,
    effect: (order: Order, c: CoAssignment) => void,
  ): Promise<CoAssignment> {
    return this.steps.change(user, ticketId, async (order) => {
      const mine = (await this.orders.coAssignments(ticketId)).filter((c) => inUnit(user, c.unitId));
      if (mine.length === 0) throw new ForbiddenException(`you are not a member of a co-unit of order ${order.row.orderNo}`);
      if (!IN_HAND.includes(order.state)) {
        throw new ConflictException(`the lead unit has already replied: the order is ${order.state}`);
      }
      const c = mine.find((x) => x.state === from);
      if (!c) {
        const what = from === 'assigned' ? '协办签收 sign as a co-unit' : '协办反馈 submit the part of a co-unit';
        throw new ConflictException(`cannot ${what}: your co-unit is ${mine.map((x) => x.state).join(', ')} (allowed from: ${from})`);
      }
      effect(order, c);
      await this.orders.saveCoAssignment(c);
      return c;
    });
  }
}
