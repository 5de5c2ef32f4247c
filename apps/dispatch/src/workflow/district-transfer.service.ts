import { EventEnvelope } from '@app/contracts';
import { FieldValidationException, inDistrict, Principal } from '@app/platform';
import { ForbiddenException, Inject, Injectable, Logger } from '@nestjs/common';
import { DISPATCH_CONFIG, DispatchConfig } from '../dispatch.config';
import { OrgRepository } from '../org/org.repository';
import { guard, newOrder, redistrictedFacts, SYSTEM } from './order.aggregate';
import { OrderState } from './order-state';
import { OrderSteps } from './order-steps';
import { WorkOrder } from './work-order.entity';
import { TransferDistrictDto } from './workflow.dto';
import { WorkflowRepository } from './workflow.repository';
import { WorkflowService } from './workflow.service';

/**
 * 转区: an order moves between district centres. The city centre hands an order intake could not
 * place (city code) to its district; a district centre sends one that is not its own back to the
 * city centre. The move is `ticket.redistricted.v1`, published under the new district: the node that
 * serves it takes the order over (on the same node at once), and every other service moves the
 * order's district. The order arrives unrouted, and the new district's rules or dispatcher place it.
 */
@Injectable()
export class DistrictTransferService {
  private readonly log = new Logger(DistrictTransferService.name);

  constructor(
    private readonly steps: OrderSteps,
    private readonly orders: WorkflowRepository,
    private readonly org: OrgRepository,
    private readonly workflow: WorkflowService,
    @Inject(DISPATCH_CONFIG) private readonly config: DispatchConfig,
  ) {}

  transfer(user: Principal, ticketId: string, dto: TransferDistrictDto): Promise<WorkOrder> {
    return this.steps.change(user, ticketId, async (order) => {
      const city = this.config.CITY_CODE;
      if (dto.districtCode !== city && !inDistrict(user, dto.districtCode)) {
        throw new ForbiddenException(
          `只能转回市中心或转至本人所辖区 you may send an order back to the city centre (${city}) or to one of your districts; other districts are reached through the city centre`,
        );
      }
      guard(order.row, 'transfer_district');
      await this.assertTarget(order.row, dto);
      const from = order.row.districtCode;
      const coUnits = (await this.orders.coAssignments(ticketId)).map((c) => c.unitId);
      order.transferDistrict(user.id, dto, coUnits);
      // This node serves the new district too: the order arrives now, not over the bus.
      if (this.steps.serves(dto.districtCode)) {
        order.receiveDistrict(user.id, from, dto.reason, { districtCode: dto.districtCode, streetCode: dto.streetCode ?? null });
        await this.workflow.routeArrived(order);
      }
      return order.row;
    });
  }

  /**
   * `ticket.redistricted.v1` on the node serving the new district: the order is taken over (created
   * from the event, or woken from `transferred` when it once left this node) and routed. An order
   * this node already received (the transfer was made here) is left alone.
   */
  async onRedistricted(e: EventEnvelope<'ticket.redistricted.v1'>): Promise<void> {
    const d = e.data;
    if (!this.steps.serves(d.districtCode)) return;
    const existing = await this.orders.lock(e.ticketId);
    if (existing && existing.state !== OrderState.Transferred) {
      this.log.debug({ msg: 'transferred order already received here', ticketId: e.ticketId, state: existing.state });
      return;
    }
    const facts = redistrictedFacts(d);
    const row = existing ? Object.assign(existing, facts) : newOrder(e.ticketId, OrderState.Transferred, facts);
    row.cycle = d.order.cycle;
    row.reworkCount = d.order.reworkCount;
    row.returnable = d.order.returnable;
    if (!existing) await this.orders.insert(row);
    const order = this.steps.begin(row);
    order.receiveDistrict(SYSTEM, d.fromDistrictCode, d.reason);
    await this.workflow.routeArrived(order);
    await this.steps.commit(order);
  }

  /** The new district: another one, of this city, with a hotline centre when this node holds it; the street within it. */
  private async assertTarget(order: WorkOrder, dto: TransferDistrictDto): Promise<void> {
    const city = this.config.CITY_CODE;
    const target = dto.districtCode;
    if (target === order.districtCode) {
      throw new FieldValidationException([{ field: 'districtCode', reason: `the order is in district ${target} already` }]);
    }
    if (target !== city && target.slice(0, 4) !== city.slice(0, 4)) {
      throw new FieldValidationException([{ field: 'districtCode', reason: `districtCode must be a district of the city ${city}` }]);
    }
    if (target !== city && this.steps.serves(target) && !(await this.org.districtCentre(target))) {
      throw new FieldValidationException([{ field: 'districtCode', reason: `district ${target} has no hotline centre (接诉即办中心)` }]);
    }
    if (dto.streetCode && (target === city || !dto.streetCode.startsWith(target))) {
      throw new FieldValidationException([{ field: 'streetCode', reason: `streetCode must be a street of district ${target}` }]);
    }
  }
}
