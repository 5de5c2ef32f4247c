import { EventEnvelope, TicketRedistrictedV1 } from '@app/contracts';
import { FieldValidationException, inDistrict, Principal } from '@app/platform';
import { ForbiddenException, Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { OrderState } from './order-state';
import { OrderSteps, SYSTEM } from './order-steps';
import { WorkOrder } from './work-order.entity';
import { TransferDistrictDto } from './workflow.dto';
import { WorkflowRepository } from './workflow.repository';
import { newOrder, WorkflowService } from './workflow.service';

/**
 * 转区: an order moves between district centres. The city centre hands an order intake could not
 * place (city code) to its district; a district centre sends one that is not its own back to the
 * city centre. The move is `ticket.redistricted.v1`, published under the district the order leaves
 * and addressed to the new one: the node that serves that takes the order over (on the same node at once), and every other service moves the
 * order's district. The order arrives unrouted, and the new district's rules or dispatcher place it.
 */
@Injectable()
export class DistrictTransferService {
  private readonly log = new Logger(DistrictTransferService.name);
  private readonly orders: WorkflowRepository;

  constructor(
    private readonly steps: OrderSteps,
    private readonly workflow: WorkflowService,
  ) {
    this.orders = steps.orders;
  }

  transfer(user: Principal, ticketId: string, dto: TransferDistrictDto): Promise<WorkOrder> {
    return this.orders.transaction(async (m) => {
      const order = await this.steps.lockVisible(m, user, ticketId);
      const city = this.steps.config.CITY_CODE;
      if (dto.districtCode !== city && !inDistrict(user, dto.districtCode)) {
        throw new ForbiddenException(
          `只能转回市中心或转至本人所辖区 you may send an order back to the city centre (${city}) or to one of your districts; other districts are reached through the city centre`,
        );
      }
      OrderSteps.guard(order, 'transfer_district');
      await this.assertTarget(m, order, dto);
      const now = this.steps.clock.now();
      const from = order.districtCode;
      const previousUnitId = order.unitId;
      // A return request ends here: the unit is rid of the order, and the next unit may not return it (首接负责).
      if (order.state === OrderState.ReturnRequested) order.returnable = false;
      // Its co-units (吹哨报到) go too: they are the old district's, could no longer see the order, and
      // the new lead unit could never reply while they had not submitted their part.
      const releasedCoUnits = await this.orders.removeCoAssignments(m, ticketId);
      Object.assign(order, {
        unitId: null,
        assignmentId: null,
        ruleId: null,
        assignedAt: null,
        assignees: [],
        subUnitId: null,
        suggestedUnitId: null,
        suggestedRuleId: null,
        transferredTo: dto.districtCode,
      });
      await this.steps.transition(m, order, 'transfer_district', user.id, now, `转区 ${from} → ${dto.districtCode}; ${dto.reason}`, {
        fromDistrict: from,
        toDistrict: dto.districtCode,
        previousUnitId,
        ...(releasedCoUnits.length ? { releasedCoUnits: releasedCoUnits.join(',') } : {}),
      });
      await this.steps.outbox.publish(m, 'ticket.redistricted.v1', {
        // Under the district the order leaves: only its node may publish it (ADDRESSED_EVENTS).
        district: from,
        ticketId,
        occurredAt: now,
        data: {
          fromDistrictCode: from,
          districtCode: dto.districtCode,
          ...(dto.streetCode ? { streetCode: dto.streetCode } : {}),
          reason: dto.reason,
          redistrictedBy: user.id,
          order: {
            orderNo: order.orderNo,
            categoryCode: order.categoryCode,
            requestType: order.requestType,
            urgency: order.urgency,
            flags: order.flags,
            content: order.content,
            address: order.address,
            identityHidden: order.identityHidden,
            proactive: order.proactive,
            cycle: order.cycle,
            reworkCount: order.reworkCount,
            returnable: order.returnable,
            acceptedAt: order.acceptedAt.toISOString(),
          },
          redistrictedAt: now.toISOString(),
        },
      });
      // This node serves the new district too: the order arrives now, not over the bus.
      if (this.steps.serves(dto.districtCode)) {
        order.districtCode = dto.districtCode;
        order.streetCode = dto.streetCode ?? null;
        await this.receive(m, order, user.id, now, from, dto.reason);
      }
      return order;
    });
  }

  /**
   * `ticket.redistricted.v1` on the node serving the new district: the order is taken over (created
   * from the event, or woken from `transferred` when it once left this node) and routed. An order
   * this node already received (the transfer was made here) is left alone.
   */
  async onRedistricted(m: EntityManager, e: EventEnvelope<TicketRedistrictedV1>): Promise<void> {
    const d = e.data;
    if (!this.steps.serves(d.districtCode)) return;
    const existing = await this.orders.lock(m, e.ticketId!);
    if (existing && existing.state !== OrderState.Transferred) {
      this.log.debug({ msg: 'transferred order already received here', ticketId: e.ticketId, state: existing.state });
      return;
    }
    const facts = {
      orderNo: d.order.orderNo,
      districtCode: d.districtCode,
      streetCode: d.streetCode ?? null,
      categoryCode: d.order.categoryCode,
      requestType: d.order.requestType,
      urgency: d.order.urgency,
      flags: d.order.flags,
      content: d.order.content,
      address: d.order.address,
      identityHidden: d.order.identityHidden,
      proactive: d.order.proactive,
      acceptedAt: new Date(d.order.acceptedAt),
    };
    const order = existing ? Object.assign(existing, facts) : newOrder(e.ticketId!, OrderState.Transferred, facts);
    order.cycle = d.order.cycle;
    order.reworkCount = d.order.reworkCount;
    order.returnable = d.order.returnable;
    if (!existing) await this.orders.insert(m, order);
    await this.receive(m, order, SYSTEM, this.steps.clock.now(), d.fromDistrictCode, d.reason);
  }

  private async receive(m: EntityManager, order: WorkOrder, actor: string, now: Date, from: string, reason: string): Promise<void> {
    order.transferredTo = null;
    await this.steps.transition(m, order, 'receive_district', actor, now, `自 ${from} 转入 received from ${from}; ${reason}`, {
      fromDistrict: from,
      toDistrict: order.districtCode,
    });
    await this.workflow.routeArrived(m, order, now);
  }

  /** The new district: another one, of this city, with a hotline centre when this node holds it; the street within it. */
  private async assertTarget(m: EntityManager, order: WorkOrder, dto: TransferDistrictDto): Promise<void> {
    const city = this.steps.config.CITY_CODE;
    const target = dto.districtCode;
    if (target === order.districtCode) {
      throw new FieldValidationException([{ field: 'districtCode', reason: `the order is in district ${target} already` }]);
    }
    if (target !== city && target.slice(0, 4) !== city.slice(0, 4)) {
      throw new FieldValidationException([{ field: 'districtCode', reason: `districtCode must be a district of the city ${city}` }]);
    }
    if (target !== city && this.steps.serves(target) && !(await this.steps.org.districtCentre(target, m))) {
      throw new FieldValidationException([{ field: 'districtCode', reason: `district ${target} has no hotline centre (接诉即办中心)` }]);
    }
    if (dto.streetCode && (target === city || !dto.streetCode.startsWith(target))) {
      throw new FieldValidationException([{ field: 'streetCode', reason: `streetCode must be a street of district ${target}` }]);
    }
  }
}
