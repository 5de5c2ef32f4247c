import { ContactMethod, ReplyOutcome, RequestType, Urgency } from '@app/contracts';
import { FieldValidationException } from '@app/platform';
import { ServiceTier } from '@app/platform/testing';
import { ConflictException, ForbiddenException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DistrictTransferService } from '../../apps/dispatch/src/workflow/district-transfer.service';
import { JointService } from '../../apps/dispatch/src/workflow/joint.service';
import { OrderState } from '../../apps/dispatch/src/workflow/order-state';
import { UnitStepsService } from '../../apps/dispatch/src/workflow/unit-steps.service';
import { WorkflowRepository } from '../../apps/dispatch/src/workflow/workflow.repository';
import { accept, CHENGBEI, CHENGXI, dispatchTier, lastEntry, orderOf, people, timelineOf, unit } from './dispatch-factories';

/** 转区 (DistrictTransferService) and 吹哨报到 (JointService). */
let tier: ServiceTier;
let transfers: DistrictTransferService;
let joint: JointService;
beforeAll(async () => {
  tier = await dispatchTier();
  transfers = tier.get(DistrictTransferService);
  joint = tier.get(JointService);
});
afterAll(() => tier?.close());
beforeEach(() => tier.outbox.clear());

async function returnRequestedWithCoUnit(): Promise<string> {
  const id = await accept(tier);
  await joint.addCoUnits(people.dispatcher, id, { unitIds: [unit.environment] });
  await tier.get(UnitStepsService).requestReturn(people.handlerMarket, id, { reason: '不属于本区' });
  tier.outbox.clear();
  return id;
}

describe('transfer (转区)', () => {
  it('on a node serving both districts: received and routed at once in the new district, ticket.redistricted.v1 then ticket.dispatched.v1', async () => {
    const id = await returnRequestedWithCoUnit();
    const before = await orderOf(tier, id);
    await transfers.transfer(people.cityDispatcher, id, { districtCode: CHENGBEI, reason: '地址在城北区' });
    const order = await orderOf(tier, id);
    expect(order).toMatchObject({ districtCode: CHENGBEI, state: OrderState.Dispatched, transferredTo: null, returnable: false, cycle: 1 });
    expect(order.unitId).not.toBe(unit.market);
    expect(order.assignmentId).not.toBe(before.assignmentId);
    const actions = (await timelineOf(tier, id)).slice(-3).map((e) => e.action);
    expect(actions).toEqual(['transfer_district', 'receive_district', 'dispatch']);
    expect(tier.outbox.types()).toEqual(['ticket.redistricted.v1', 'ticket.dispatched.v1']);
    const moved = tier.outbox.only('ticket.redistricted.v1');
    // Under the district the order leaves: only that district's node may move its orders.
    expect(moved.district).toBe(CHENGXI);
    expect(moved.data).toMatchObject({
      fromDistrictCode: CHENGXI,
      districtCode: CHENGBEI,
      order: { orderNo: before.orderNo, returnable: false, cycle: 1 },
    });
  });

  it('releases the co-units with the lead unit and says so on the timeline', async () => {
    const id = await returnRequestedWithCoUnit();
    await transfers.transfer(people.cityDispatcher, id, { districtCode: CHENGBEI, reason: '地址在城北区' });
    expect(await tier.get(WorkflowRepository).coAssignments(id)).toEqual([]);
    const t = (await timelineOf(tier, id)).find((e) => e.action === 'transfer_district')!;
    expect(t.data).toMatchObject({
      fromDistrict: CHENGXI,
      toDistrict: CHENGBEI,
      previousUnitId: unit.market,
      releasedCoUnits: unit.environment,
    });
  });

  it('refuses a district the dispatcher does not serve (403) and the same district (400)', async () => {
    const id = await returnRequestedWithCoUnit();
    await expect(transfers.transfer(people.dispatcher, id, { districtCode: CHENGBEI, reason: 'x' })).rejects.toBeInstanceOf(
      ForbiddenException,
    );
    await expect(transfers.transfer(people.dispatcher, id, { districtCode: CHENGXI, reason: 'x' })).rejects.toBeInstanceOf(
      FieldValidationException,
    );
    expect((await orderOf(tier, id)).state).toBe(OrderState.ReturnRequested);
    expect(tier.outbox.types()).toEqual([]);
  });

  it('ticket.redistricted.v1 from another node: the order is created here and routed in its new district', async () => {
    const ticketId = randomUUID();
    const e = tier.event('ticket.redistricted.v1', {
      ticketId,
      district: CHENGXI,
      producer: 'dispatch',
      data: {
        fromDistrictCode: CHENGBEI,
        districtCode: CHENGXI,
        reason: '地址在城西区',
        redistrictedBy: 'disp-city',
        order: {
          orderNo: '20260302-009001',
          categoryCode: 'lift',
          requestType: RequestType.Complaint,
          urgency: Urgency.Ordinary,
          flags: [],
          content: '电梯忽上忽下',
          address: '西宁市城西区胜利路12号',
          identityHidden: false,
          proactive: false,
          cycle: 2,
          reworkCount: 1,
          returnable: false,
          acceptedAt: tier.clock.now().toISOString(),
        },
        redistrictedAt: tier.clock.now().toISOString(),
      },
    });
    await tier.transaction(() => transfers.onRedistricted(e));
    expect(await orderOf(tier, ticketId)).toMatchObject({
      districtCode: CHENGXI,
      state: OrderState.Dispatched,
      unitId: unit.market,
      cycle: 2,
      reworkCount: 1,
      returnable: false,
    });
    expect(await lastEntry(tier, ticketId)).toMatchObject({ action: 'dispatch' });
    expect(tier.outbox.only('ticket.dispatched.v1').data).toMatchObject({ unitId: unit.market, cycle: 2 });
  });
});

describe('joint handling (吹哨报到)', () => {
  it("the dispatcher calls co-units in: on the order's timeline, no event", async () => {
    const id = await accept(tier);
    tier.outbox.clear();
    const co = await joint.addCoUnits(people.dispatcher, id, { unitIds: [unit.environment, unit.labour] });
    expect(co.map((c) => [c.unitId, c.state])).toEqual([
      [unit.environment, 'assigned'],
      [unit.labour, 'assigned'],
    ]);
    expect((await lastEntry(tier, id)).action).toBe('co_units_added');
    expect(tier.outbox.types()).toEqual([]);
  });

  it('refuses the lead unit as its own co-unit (400) and a handler of the lead unit (403)', async () => {
    const id = await accept(tier);
    await expect(joint.addCoUnits(people.dispatcher, id, { unitIds: [unit.market] })).rejects.toBeInstanceOf(FieldValidationException);
    await expect(joint.addCoUnits(people.handlerMarket, id, { unitIds: [unit.environment] })).rejects.toBeInstanceOf(ForbiddenException);
  });

  it('a co-unit signs, then submits its part; then the lead unit may reply', async () => {
    const id = await accept(tier);
    await joint.addCoUnits(people.dispatcher, id, { unitIds: [unit.environment] });
    await expect(joint.coSubmit(people.handlerEnvironment, id, { partText: '已检测噪声' })).rejects.toBeInstanceOf(ConflictException);
    expect(await joint.coSign(people.handlerEnvironment, id)).toMatchObject({ state: 'signed', signedBy: people.handlerEnvironment.id });
    expect((await lastEntry(tier, id)).action).toBe('co_sign');
    expect(await joint.coSubmit(people.handlerEnvironment, id, { partText: '已检测噪声' })).toMatchObject({
      state: 'submitted',
      partText: '已检测噪声',
    });
    expect((await lastEntry(tier, id)).action).toBe('co_submit');
    const u = tier.get(UnitStepsService);
    await u.sign(people.handlerMarket, id);
    await u.contact(people.handlerMarket, id, { method: ContactMethod.Phone });
    await u.reply(people.handlerMarket, id, { outcome: ReplyOutcome.Resolved, replyText: '联合处置完毕' });
    expect((await orderOf(tier, id)).state).toBe(OrderState.Replied);
  });
});
