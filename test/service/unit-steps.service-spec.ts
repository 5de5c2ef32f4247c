import { ContactMethod, ReplyOutcome } from '@app/contracts';
import { FieldValidationException } from '@app/platform';
import { ServiceTier } from '@app/platform/testing';
import { ConflictException, ForbiddenException, NotFoundException } from '@nestjs/common';
import { OrderState } from '../../apps/dispatch/src/workflow/order-state';
import { UnitStepsService } from '../../apps/dispatch/src/workflow/unit-steps.service';
import { JointService } from '../../apps/dispatch/src/workflow/joint.service';
import { accept, dispatchTier, lastEntry, orderOf, people, timelineOf, unit } from './dispatch-factories';

/** What the handling unit does (UnitStepsService): each step's state, timeline entry and event. */
let tier: ServiceTier;
let steps: UnitStepsService;
beforeAll(async () => {
  tier = await dispatchTier();
  steps = tier.get(UnitStepsService);
  // The tourism bureau replies through its head (一把手签批).
  await tier.ds.query(`UPDATE dispatch.org_unit SET requires_head_signoff = true WHERE id = $1`, [unit.tourism]);
});
afterAll(() => tier?.close());
beforeEach(() => tier.outbox.clear());

async function signed(): Promise<string> {
  const id = await accept(tier);
  await steps.sign(people.handlerMarket, id);
  tier.outbox.clear();
  return id;
}

async function contacted(category = 'lift', who = people.handlerMarket): Promise<string> {
  const id = await accept(tier, { category });
  await steps.sign(who, id);
  await steps.contact(who, id, { method: ContactMethod.Phone });
  tier.outbox.clear();
  return id;
}

describe('sign (签收)', () => {
  it('moves a dispatched order to signed, on the timeline by the handler, and publishes ticket.signed.v1', async () => {
    const id = await accept(tier);
    const before = await orderOf(tier, id);
    tier.outbox.clear();
    await steps.sign(people.handlerMarket, id);
    expect((await orderOf(tier, id)).state).toBe(OrderState.Signed);
    expect(await lastEntry(tier, id)).toMatchObject({
      action: 'sign',
      actor: people.handlerMarket.id,
      fromState: 'dispatched',
      toState: 'signed',
    });
    expect(tier.outbox.types()).toEqual(['ticket.signed.v1']);
    expect(tier.outbox.only('ticket.signed.v1').data).toMatchObject({
      assignmentId: before.assignmentId,
      unitId: unit.market,
      signedBy: people.handlerMarket.id,
    });
  });

  it('is 404 to a handler of another unit (outside their view), and changes nothing', async () => {
    const id = await accept(tier);
    tier.outbox.clear();
    await expect(steps.sign(people.handlerEnvironment, id)).rejects.toBeInstanceOf(NotFoundException);
    expect((await orderOf(tier, id)).state).toBe(OrderState.Dispatched);
    expect(tier.outbox.types()).toEqual([]);
  });

  it('is refused with 409 when the order is signed already', async () => {
    const id = await signed();
    await expect(steps.sign(people.handlerMarket, id)).rejects.toBeInstanceOf(ConflictException);
    expect(tier.outbox.types()).toEqual([]);
  });
});

describe('contact (响应)', () => {
  it('moves a signed order to contacted and publishes ticket.contacted.v1 with the method', async () => {
    const id = await signed();
    await steps.contact(people.handlerMarket, id, { method: ContactMethod.Visit, note: '上门查看' });
    expect((await orderOf(tier, id)).state).toBe(OrderState.Contacted);
    expect(await lastEntry(tier, id)).toMatchObject({ action: 'contact', note: 'visit: 上门查看', toState: 'contacted' });
    expect(tier.outbox.only('ticket.contacted.v1').data).toMatchObject({ method: 'visit', note: '上门查看', unitId: unit.market });
  });

  it('refuses a contact time before the assignment (400 on contactedAt), and rolls the transition back', async () => {
    const id = await signed();
    await expect(
      steps.contact(people.handlerMarket, id, { method: ContactMethod.Phone, contactedAt: '2020-01-01T00:00:00Z' }),
    ).rejects.toBeInstanceOf(FieldValidationException);
    expect((await orderOf(tier, id)).state).toBe(OrderState.Signed);
    expect(tier.outbox.types()).toEqual([]);
  });
});

describe('reply (办结答复)', () => {
  it('moves a contacted order to replied and publishes ticket.replied.v1 for the cycle', async () => {
    const id = await contacted();
    await steps.reply(people.handlerMarket, id, { outcome: ReplyOutcome.Resolved, replyText: '已修复' });
    const order = await orderOf(tier, id);
    expect(order).toMatchObject({
      state: OrderState.Replied,
      outcome: 'resolved',
      replyText: '已修复',
      repliedBy: people.handlerMarket.id,
    });
    expect(await lastEntry(tier, id)).toMatchObject({
      action: 'reply',
      toState: 'replied',
      data: { cycle: 1, outcome: 'resolved', attachments: 0 },
    });
    expect(tier.outbox.only('ticket.replied.v1').data).toMatchObject({
      outcome: 'resolved',
      replyText: '已修复',
      cycle: 1,
      assignmentId: order.assignmentId,
    });
  });

  it('waits for every co-unit: 409 while one has not submitted its part', async () => {
    const id = await contacted();
    await tier.get(JointService).addCoUnits(people.dispatcher, id, { unitIds: [unit.environment] });
    await expect(steps.reply(people.handlerMarket, id, { outcome: ReplyOutcome.Resolved, replyText: '已修复' })).rejects.toThrow(
      /co-units have not submitted/,
    );
    expect((await orderOf(tier, id)).state).toBe(OrderState.Contacted);
  });

  it("holds the reply of a unit that requires its head's sign-off, without an event", async () => {
    const id = await contacted('tourism', people.handlerTourism);
    await steps.reply(people.handlerTourism, id, { outcome: ReplyOutcome.Explained, replyText: '已解释' });
    expect((await orderOf(tier, id)).state).toBe(OrderState.AwaitingSignoff);
    expect(await lastEntry(tier, id)).toMatchObject({ action: 'submit_signoff', note: 'explained: 已解释' });
    expect(tier.outbox.types()).toEqual([]);
  });
});

describe('signoff (一把手签批)', () => {
  async function awaitingSignoff(): Promise<string> {
    const id = await contacted('tourism', people.handlerTourism);
    await steps.reply(people.handlerTourism, id, { outcome: ReplyOutcome.Explained, replyText: '已解释' });
    return id;
  }

  it("the head's approval releases the reply: replied, and ticket.replied.v1", async () => {
    const id = await awaitingSignoff();
    await steps.signoff(people.tourismHead, id, { decision: 'approved' });
    expect((await orderOf(tier, id)).state).toBe(OrderState.Replied);
    expect(await lastEntry(tier, id)).toMatchObject({
      action: 'head_approve',
      actor: people.tourismHead.id,
      data: { repliedBy: people.handlerTourism.id },
    });
    expect(tier.outbox.only('ticket.replied.v1').data).toMatchObject({ outcome: 'explained', unitId: unit.tourism });
  });

  it("the head's rejection sends it back to the handler: signoff_rejected, no event", async () => {
    const id = await awaitingSignoff();
    await steps.signoff(people.tourismHead, id, { decision: 'rejected', reason: '答复不完整' });
    expect((await orderOf(tier, id)).state).toBe(OrderState.SignoffRejected);
    expect(await lastEntry(tier, id)).toMatchObject({ action: 'head_reject', note: '答复不完整' });
    expect(tier.outbox.types()).toEqual([]);
  });

  it("is refused (403) to the district's dispatcher, who sees the order but is not of the unit", async () => {
    const id = await awaitingSignoff();
    await expect(steps.signoff(people.dispatcher, id, { decision: 'approved' })).rejects.toBeInstanceOf(ForbiddenException);
    expect((await orderOf(tier, id)).state).toBe(OrderState.AwaitingSignoff);
  });

  it('is refused (403, with the reason) to a member of the unit who is not its head, to the district leader (the head of another unit, who sees the order) and to an administrator', async () => {
    const id = await awaitingSignoff();
    for (const who of [people.handlerTourism, people.districtLeader, people.admin]) {
      const refused = steps.signoff(who, id, { decision: 'approved' });
      await expect(refused).rejects.toBeInstanceOf(ForbiddenException);
      await expect(refused).rejects.toThrow('一把手签批须由承办单位的负责人（一把手）作出');
    }
    expect((await orderOf(tier, id)).state).toBe(OrderState.AwaitingSignoff);
    expect(await lastEntry(tier, id)).toMatchObject({ action: 'submit_signoff' });
  });
});

describe('requestReturn (退单)', () => {
  it('moves the order to return_requested with the deadline, and publishes ticket.returned.v1', async () => {
    const id = await signed();
    await steps.requestReturn(people.handlerMarket, id, { reason: '不属于本单位职责' });
    expect((await orderOf(tier, id)).state).toBe(OrderState.ReturnRequested);
    const e = await lastEntry(tier, id);
    expect(e).toMatchObject({ action: 'return_request', note: '不属于本单位职责' });
    expect(typeof e.data.deadline).toBe('string');
    expect(tier.outbox.only('ticket.returned.v1').data).toMatchObject({ unitId: unit.market, reason: '不属于本单位职责' });
  });

  it('is refused after the return limit (2 working days after the assignment)', async () => {
    const id = await signed();
    tier.clock.advance(7 * 86_400_000);
    try {
      await expect(steps.requestReturn(people.handlerMarket, id, { reason: '不属于本单位职责' })).rejects.toThrow(/within 2 working days/);
    } finally {
      tier.clock.advance(-7 * 86_400_000);
    }
  });
});

describe('assign (分派)', () => {
  it('names the handlers, on the timeline, and publishes ticket.assigned.v1; the state stays', async () => {
    const id = await signed();
    await steps.assign(people.handlerMarket, id, { assignees: [people.handlerMarket.id] });
    expect(await orderOf(tier, id)).toMatchObject({ state: OrderState.Signed, assignees: [people.handlerMarket.id] });
    expect(await lastEntry(tier, id)).toMatchObject({ action: 'assign', fromState: 'signed', toState: 'signed' });
    expect(tier.outbox.only('ticket.assigned.v1').data).toMatchObject({ assignees: [people.handlerMarket.id], cycle: 1 });
  });

  it('refuses a person who is not a member of the unit (400)', async () => {
    const id = await signed();
    await expect(steps.assign(people.handlerMarket, id, { assignees: [people.handlerEnvironment.id] })).rejects.toBeInstanceOf(
      FieldValidationException,
    );
    expect(tier.outbox.types()).toEqual([]);
  });
});

describe('requestExtension (申请延期)', () => {
  it('publishes ticket.extension-requested.v1 and writes the timeline; the state stays', async () => {
    const id = await signed();
    const r = await steps.requestExtension(people.handlerMarket, id, { days: 3, reason: '需协调物业' });
    expect((await orderOf(tier, id)).state).toBe(OrderState.Signed);
    expect(await lastEntry(tier, id)).toMatchObject({ action: 'extension_requested', data: { requestId: r.requestId, days: 3, cycle: 1 } });
    expect(tier.outbox.only('ticket.extension-requested.v1').data).toMatchObject({ requestId: r.requestId, days: 3, cycle: 1 });
  });

  it('is refused once the order is replied (409)', async () => {
    const id = await contacted();
    await steps.reply(people.handlerMarket, id, { outcome: ReplyOutcome.Resolved, replyText: '已修复' });
    tier.outbox.clear();
    await expect(steps.requestExtension(people.handlerMarket, id, { days: 3, reason: 'x' })).rejects.toBeInstanceOf(ConflictException);
    expect(tier.outbox.types()).toEqual([]);
    expect((await timelineOf(tier, id)).some((e) => e.action === 'extension_requested')).toBe(false);
  });
});
