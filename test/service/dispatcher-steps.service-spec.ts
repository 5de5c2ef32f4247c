import {
  CallbackChannel,
  Channel,
  ContactMethod,
  ReplyOutcome,
  RequestType,
  ReviewDecision,
  Satisfaction,
  TicketFlag,
  Urgency,
} from '@app/contracts';
import {
  currentTraceparent,
  EarlyEventError,
  FieldValidationException,
  newTrace,
  Outbox,
  Principal,
  runWithTrace,
  toTraceparent,
} from '@app/platform';
import { ServiceTier } from '@app/platform/testing';
import { ConflictException, ForbiddenException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { unitIdFor } from '../../apps/dispatch/src/org/unit-id';
import { DispatcherStepsService } from '../../apps/dispatch/src/workflow/dispatcher-steps.service';
import { OrderState } from '../../apps/dispatch/src/workflow/order-state';
import { UnitStepsService } from '../../apps/dispatch/src/workflow/unit-steps.service';
import { WorkflowRepository } from '../../apps/dispatch/src/workflow/workflow.repository';
import { WorkflowService } from '../../apps/dispatch/src/workflow/workflow.service';
import {
  accept,
  acceptedEvent,
  awaitingCallback,
  callbackCompleted,
  CHENGBEI,
  CHENGXI,
  dispatchTier,
  lastEntry,
  orderOf,
  people,
  repliedOrder,
  timelineOf,
  unit,
} from './dispatch-factories';

/** What the dispatcher (and the district leader) does, and what dispatch does with the bus's events. */
let tier: ServiceTier;
let steps: DispatcherStepsService;
const CHENGDONG = '630102';
const chengdongDispatcher: Principal = { id: 'disp-630102', roles: ['dispatcher'], districts: [CHENGDONG], units: [] };
const chengdongLeader: Principal = {
  id: 'leader-630102',
  roles: ['unit_head'],
  districts: [CHENGDONG],
  units: [unitIdFor('630102-centre')],
};

beforeAll(async () => {
  tier = await dispatchTier();
  steps = tier.get(DispatcherStepsService);
  // Chengbei's orders wait for its dispatcher (no rule places them); Chengdong holds flagged orders for its leader.
  await tier.ds.query(`UPDATE dispatch.route_rule SET active = false WHERE district_code = $1`, [CHENGBEI]);
  await tier.ds.query(`UPDATE dispatch.org_unit SET dual_signoff_required = true WHERE id = $1`, [unitIdFor('630102-centre')]);
});
afterAll(() => tier?.close());
beforeEach(() => tier.outbox.clear());

describe('routing on acceptance', () => {
  it("dispatches to the unit the district's rule chooses, with ticket.dispatched.v1 for cycle 1", async () => {
    const id = await accept(tier);
    const order = await orderOf(tier, id);
    expect(order).toMatchObject({ state: OrderState.Dispatched, unitId: unit.market, cycle: 1, returnable: true });
    expect(await lastEntry(tier, id)).toMatchObject({
      action: 'dispatch',
      actor: 'system:dispatch',
      fromState: 'unrouted',
      toState: 'dispatched',
    });
    expect(tier.outbox.only('ticket.dispatched.v1').data).toMatchObject({
      unitId: unit.market,
      assignmentId: order.assignmentId,
      ruleId: order.ruleId,
      cycle: 1,
      categoryCode: 'lift',
    });
  });

  it('writes nothing for an acceptance seen again (the order routed and inserted once)', async () => {
    const ticketId = randomUUID();
    const e = tier.event('ticket.accepted.v1', {
      ticketId,
      district: CHENGXI,
      producer: 'intake',
      data: {
        orderNo: '20260302-900001',
        channel: Channel.Phone,
        requestType: RequestType.Complaint,
        categoryCode: 'lift',
        urgency: Urgency.Ordinary,
        content: '电梯忽上忽下',
        location: { address: '西宁市城西区胜利路12号', districtCode: CHENGXI },
        identityHidden: false,
        proactive: false,
        flags: [],
        acceptedAt: tier.clock.now().toISOString(),
      },
    });
    await tier.transaction(() => tier.get(WorkflowService).onAccepted(e));
    const first = await orderOf(tier, ticketId);
    await tier.transaction(() => tier.get(WorkflowService).onAccepted(e));
    expect(await orderOf(tier, ticketId)).toMatchObject({ state: OrderState.Dispatched, assignmentId: first.assignmentId });
    expect((await timelineOf(tier, ticketId)).map((t) => t.action)).toEqual(['dispatch']);
    expect(tier.outbox.types()).toEqual(['ticket.dispatched.v1']);
  });

  it("writes a batch's new orders together: each routed as alone, an order given twice written once", async () => {
    const workflow = tier.get(WorkflowService);
    const [a, b, queued] = [acceptedEvent(tier), acceptedEvent(tier, { category: 'lift' }), acceptedEvent(tier, { district: CHENGBEI })];
    const again = { ...a, id: randomUUID() }; // the same acceptance published again under another id
    const statements: string[] = [];
    // Each event routed in its message's trace (as the consumer host runs a handler).
    const traces = [newTrace(), newTrace(), newTrace(), newTrace()];
    const arrivals = await Promise.all([a, b, queued, again].map((e, i) => runWithTrace(traces[i], () => workflow.arrive(e))));
    const seen = jest.spyOn(tier.ds.logger, 'logQuery').mockImplementation((q: string) => void statements.push(q));
    const outbox = tier.get(Outbox);
    const publishMany = outbox.publishMany.bind(outbox);
    const publishedIn: Record<string, string | undefined> = {};
    const many = jest.spyOn(outbox, 'publishMany').mockImplementation((events) => {
      for (const e of events) publishedIn[e.ticketId!] = currentTraceparent();
      return publishMany(events);
    });
    try {
      await tier.transaction(() => workflow.commitArrivals(arrivals));
    } finally {
      seen.mockRestore();
      many.mockRestore();
    }
    // Written at the end of the batch, each order's event in the trace of the event that brought it.
    expect(publishedIn).toEqual({ [a.ticketId]: toTraceparent(traces[0]), [b.ticketId]: toTraceparent(traces[1]) });
    // One INSERT for the three orders (and one for their timelines), not one each.
    expect(statements.filter((q) => /INSERT INTO "dispatch"\."work_order"|INSERT INTO "work_order"/.test(q))).toHaveLength(1);
    expect(statements.filter((q) => /INSERT INTO timeline_entry/.test(q))).toHaveLength(1);
    expect(await orderOf(tier, a.ticketId)).toMatchObject({ state: OrderState.Dispatched, unitId: unit.market, cycle: 1 });
    expect(await orderOf(tier, b.ticketId)).toMatchObject({ state: OrderState.Dispatched, unitId: unit.market, cycle: 1 });
    expect(await orderOf(tier, queued.ticketId)).toMatchObject({ state: OrderState.Unrouted, unitId: null });
    for (const id of [a.ticketId, b.ticketId]) expect((await timelineOf(tier, id)).map((t) => t.action)).toEqual(['dispatch']);
    expect((await timelineOf(tier, queued.ticketId)).map((t) => t.action)).toEqual(['unrouted']);
    // The events in the batch's order, the order given twice once.
    expect(tier.outbox.events.map(({ envelope: e }) => [e.type, e.ticketId])).toEqual([
      ['ticket.dispatched.v1', a.ticketId],
      ['ticket.dispatched.v1', b.ticketId],
    ]);
    // Delivered again later: nothing more.
    await tier.transaction(async () => workflow.commitArrivals([await workflow.arrive(a)]));
    expect(tier.outbox.events).toHaveLength(2);
  });

  it("leaves an order no rule places in the dispatcher's queue, without an event", async () => {
    const id = await accept(tier, { district: CHENGBEI });
    expect(await orderOf(tier, id)).toMatchObject({ state: OrderState.Unrouted, unitId: null });
    expect(await lastEntry(tier, id)).toMatchObject({ action: 'unrouted', toState: 'unrouted' });
    expect(tier.outbox.types()).toEqual([]);
  });

  it('holds a flagged order for the district leader where 双交办 applies', async () => {
    const id = await accept(tier, { district: CHENGDONG, flags: [TicketFlag.Repeat] });
    expect((await orderOf(tier, id)).state).toBe(OrderState.AwaitingLeader);
    // The district leader is told of the hold itself (notify), not of every flagged order.
    expect(tier.outbox.types()).toEqual(['ticket.held-for-leader.v1']);
    expect(tier.outbox.only('ticket.held-for-leader.v1')).toMatchObject({ district: CHENGDONG, data: { flags: [TicketFlag.Repeat] } });
  });
});

describe('the order page (GET /orders/:id)', () => {
  it('reads the order, its timeline and co-units in one snapshot: a step committed between the reads is not half in it', async () => {
    const id = await accept(tier);
    const repo = tier.get(WorkflowRepository);
    const read = repo.timeline.bind(repo);
    // Another connection commits a timeline entry after the order was read, before its timeline is.
    const spy = jest.spyOn(repo, 'timeline').mockImplementationOnce(async (ticketId: string) => {
      await tier.ds.query(
        `INSERT INTO dispatch.timeline_entry (id, ticket_id, at, actor, action, from_state, to_state, note, data)
         SELECT gen_random_uuid(), ticket_id, now(), 'test', 'note', from_state, to_state, 'committed between the reads', data
           FROM dispatch.timeline_entry WHERE ticket_id = $1 LIMIT 1`,
        [ticketId],
      );
      return read(ticketId);
    });
    try {
      const first = await tier.get(WorkflowService).get(people.dispatcher, id);
      expect(first.timeline.map((t) => t.note)).not.toContain('committed between the reads');
      const again = await tier.get(WorkflowService).get(people.dispatcher, id);
      expect(again.timeline.map((t) => t.note)).toContain('committed between the reads');
    } finally {
      spy.mockRestore();
    }
  });
});

describe('dispatch (人工派单)', () => {
  it('sends an unrouted order to the unit named: dispatched, a new assignment, ticket.dispatched.v1 without a rule', async () => {
    const id = await accept(tier, { district: CHENGBEI });
    await steps.dispatch(people.dispatcherChengbei, id, { unitId: unit.chengbeiMarket });
    const order = await orderOf(tier, id);
    expect(order).toMatchObject({ state: OrderState.Dispatched, unitId: unit.chengbeiMarket, ruleId: null });
    expect(await lastEntry(tier, id)).toMatchObject({
      action: 'dispatch',
      actor: people.dispatcherChengbei.id,
      data: { unitId: unit.chengbeiMarket, previousUnitId: null },
    });
    const e = tier.outbox.only('ticket.dispatched.v1');
    expect(e.data).toMatchObject({ unitId: unit.chengbeiMarket, assignmentId: order.assignmentId, cycle: 1 });
    expect(e.data).not.toHaveProperty('ruleId');
  });

  it('refuses a unit of another district (400 on unitId)', async () => {
    const id = await accept(tier, { district: CHENGBEI });
    await expect(steps.dispatch(people.dispatcherChengbei, id, { unitId: unit.market })).rejects.toBeInstanceOf(FieldValidationException);
    expect((await orderOf(tier, id)).state).toBe(OrderState.Unrouted);
  });

  it('bulk: each order on its own, a refusal reported beside the others', async () => {
    const a = await accept(tier, { district: CHENGBEI });
    const b = await accept(tier, { district: CHENGBEI });
    await steps.dispatch(people.dispatcherChengbei, b, { unitId: unit.chengbeiMarket });
    tier.outbox.clear();
    const r = await steps.bulkDispatch(people.dispatcherChengbei, { ticketIds: [a, b], unitId: unit.chengbeiCityManagement });
    expect(r).toMatchObject({ dispatched: 1, refused: 1 });
    expect(r.results[1]).toMatchObject({ ticketId: b, ok: false, status: 409 });
    expect(tier.outbox.of('ticket.dispatched.v1').map((e) => e.ticketId)).toEqual([a]);
  });
});

describe('leaderDispatch (双交办)', () => {
  it("the leader's sign-off dispatches to the suggested unit with its rule", async () => {
    const id = await accept(tier, { district: CHENGDONG, flags: [TicketFlag.Repeat] });
    const held = await orderOf(tier, id);
    await steps.leaderDispatch(chengdongLeader, id, {});
    const order = await orderOf(tier, id);
    expect(order).toMatchObject({ state: OrderState.Dispatched, unitId: held.suggestedUnitId, ruleId: held.suggestedRuleId });
    expect(await lastEntry(tier, id)).toMatchObject({ action: 'leader_dispatch', actor: chengdongLeader.id });
    expect(tier.outbox.only('ticket.dispatched.v1').data).toMatchObject({ unitId: held.suggestedUnitId, ruleId: held.suggestedRuleId });
  });

  it("is refused (403) to the district's dispatcher", async () => {
    const id = await accept(tier, { district: CHENGDONG, flags: [TicketFlag.Repeat] });
    await expect(steps.leaderDispatch(chengdongDispatcher, id, {})).rejects.toBeInstanceOf(ForbiddenException);
  });
});

describe('redispatch (转办)', () => {
  it('moves a signed order to another unit: a new assignment, assignees and community cleared, ticket.dispatched.v1', async () => {
    const id = await accept(tier);
    await tier.get(UnitStepsService).sign(people.handlerMarket, id);
    await tier.get(UnitStepsService).assign(people.handlerMarket, id, { assignees: [people.handlerMarket.id] });
    const before = await orderOf(tier, id);
    tier.outbox.clear();
    await steps.redispatch(people.dispatcher, id, { unitId: unit.environment, reason: '属环境问题' });
    const order = await orderOf(tier, id);
    expect(order).toMatchObject({ state: OrderState.Dispatched, unitId: unit.environment, assignees: [], subUnitId: null, cycle: 1 });
    expect(order.assignmentId).not.toBe(before.assignmentId);
    expect(await lastEntry(tier, id)).toMatchObject({
      action: 'redispatch',
      data: { previousUnitId: unit.market, unitId: unit.environment },
    });
    expect(tier.outbox.only('ticket.dispatched.v1').data).toMatchObject({
      unitId: unit.environment,
      assignmentId: order.assignmentId,
      cycle: 1,
    });
  });

  it('refuses the unit that has the order now (400)', async () => {
    const id = await accept(tier);
    await expect(steps.redispatch(people.dispatcher, id, { unitId: unit.market, reason: 'x' })).rejects.toBeInstanceOf(
      FieldValidationException,
    );
  });
});

describe('decideReturn (退单审核)', () => {
  async function returnRequested(): Promise<string> {
    const id = await accept(tier);
    await tier.get(UnitStepsService).requestReturn(people.handlerMarket, id, { reason: '不属于本单位职责' });
    tier.outbox.clear();
    return id;
  }

  it('accepted: to the unit named, no further return allowed, ticket.dispatched.v1', async () => {
    const id = await returnRequested();
    await steps.decideReturn(people.dispatcher, id, { decision: 'accepted', unitId: unit.environment, reason: '改派环境局' });
    expect(await orderOf(tier, id)).toMatchObject({ state: OrderState.Dispatched, unitId: unit.environment, returnable: false });
    expect(await lastEntry(tier, id)).toMatchObject({ action: 'return_accept' });
    expect(tier.outbox.only('ticket.dispatched.v1').data).toMatchObject({ unitId: unit.environment });
  });

  it('refused: back to the unit as signed, no further return allowed, no event', async () => {
    const id = await returnRequested();
    await steps.decideReturn(people.dispatcher, id, { decision: 'refused', reason: '属本单位职责' });
    expect(await orderOf(tier, id)).toMatchObject({ state: OrderState.Signed, unitId: unit.market, returnable: false });
    expect(await lastEntry(tier, id)).toMatchObject({ action: 'return_refuse', note: '属本单位职责' });
    expect(tier.outbox.types()).toEqual([]);
  });
});

describe('review (审核)', () => {
  it('approved: awaiting the callback, ticket.reviewed.v1 for the cycle', async () => {
    const id = await repliedOrder(tier);
    tier.outbox.clear();
    await steps.review(people.dispatcher, id, { decision: ReviewDecision.Approved });
    expect(await orderOf(tier, id)).toMatchObject({ state: OrderState.AwaitingCallback, cycle: 1, reworkCount: 0 });
    expect(await lastEntry(tier, id)).toMatchObject({ action: 'approve', toState: 'awaiting_callback' });
    expect(tier.outbox.types()).toEqual(['ticket.reviewed.v1']);
    expect(tier.outbox.only('ticket.reviewed.v1').data).toMatchObject({ decision: 'approved', cycle: 1, outcome: 'resolved' });
  });

  it('sent back: rework in a new cycle counted as rework; the event names the reviewed cycle', async () => {
    const id = await repliedOrder(tier);
    tier.outbox.clear();
    await steps.review(people.dispatcher, id, { decision: ReviewDecision.SentBack, reason: '答复不实' });
    expect(await orderOf(tier, id)).toMatchObject({ state: OrderState.Rework, cycle: 2, reworkCount: 1 });
    expect(await lastEntry(tier, id)).toMatchObject({ action: 'send_back', data: { cycle: 2 } });
    expect(tier.outbox.only('ticket.reviewed.v1').data).toMatchObject({ decision: 'sent_back', cycle: 1, reason: '答复不实' });
  });

  it('approved for a proactive order (未诉先办): closed at once, ticket.closed.v1 proactive_no_callback', async () => {
    const id = await repliedOrder(tier, { proactive: true });
    tier.outbox.clear();
    await steps.review(people.dispatcher, id, { decision: ReviewDecision.Approved });
    expect((await orderOf(tier, id)).state).toBe(OrderState.Closed);
    expect(await lastEntry(tier, id)).toMatchObject({ action: 'close', actor: 'system:dispatch' });
    expect(tier.outbox.types()).toEqual(['ticket.reviewed.v1', 'ticket.closed.v1']);
    expect(tier.outbox.only('ticket.closed.v1').data).toMatchObject({
      closeReason: 'proactive_no_callback',
      outcome: 'resolved',
      cycle: 1,
    });
  });

  it('is refused (409) for an order not replied', async () => {
    const id = await accept(tier);
    await expect(steps.review(people.dispatcher, id, { decision: ReviewDecision.Approved })).rejects.toBeInstanceOf(ConflictException);
  });
});

describe('reopen (重办) by the dispatcher', () => {
  it('to the same unit: reopened in a new cycle, ticket.reopened.v1 from the dispatcher', async () => {
    const id = await awaitingCallback(tier);
    const before = await orderOf(tier, id);
    tier.outbox.clear();
    await steps.reopen(people.dispatcher, id, { reason: '市民再次来电' });
    expect(await orderOf(tier, id)).toMatchObject({
      state: OrderState.Reopened,
      cycle: 2,
      reworkCount: 1,
      unitId: unit.market,
      assignmentId: before.assignmentId,
    });
    expect(await lastEntry(tier, id)).toMatchObject({ action: 'reopen', data: { source: 'dispatcher', unitId: unit.market, cycle: 2 } });
    expect(tier.outbox.only('ticket.reopened.v1').data).toMatchObject({
      source: 'dispatcher',
      cycle: 2,
      unitId: unit.market,
      assignmentId: before.assignmentId,
      reason: '市民再次来电',
    });
  });

  it('to another unit: dispatched to it with a new assignment, returnable again, ticket.reopened.v1 naming it', async () => {
    const id = await awaitingCallback(tier);
    const before = await orderOf(tier, id);
    tier.outbox.clear();
    await steps.reopen(people.dispatcher, id, { reason: '改由环境局办理', unitId: unit.environment });
    const order = await orderOf(tier, id);
    expect(order).toMatchObject({
      state: OrderState.Dispatched,
      cycle: 2,
      reworkCount: 1,
      unitId: unit.environment,
      assignees: [],
      returnable: true,
    });
    expect(order.assignmentId).not.toBe(before.assignmentId);
    expect(await lastEntry(tier, id)).toMatchObject({ action: 'reopen_to' });
    expect(tier.outbox.types()).toEqual(['ticket.reopened.v1']);
    expect(tier.outbox.only('ticket.reopened.v1').data).toMatchObject({
      unitId: unit.environment,
      assignmentId: order.assignmentId,
      cycle: 2,
    });
  });
});

describe('the callback verdict (callback.completed.v1, callback.failed.v1)', () => {
  it('satisfied and resolved: closed, ticket.closed.v1 callback_satisfied with the satisfaction', async () => {
    const id = await awaitingCallback(tier);
    tier.outbox.clear();
    await callbackCompleted(tier, id, { resolved: true, satisfaction: Satisfaction.Satisfied });
    expect((await orderOf(tier, id)).state).toBe(OrderState.Closed);
    expect(tier.outbox.only('ticket.closed.v1').data).toMatchObject({
      closeReason: 'callback_satisfied',
      satisfaction: 'satisfied',
      cycle: 1,
    });
  });

  it('unsatisfied: reopened to the same unit in a new cycle, ticket.reopened.v1 from the callback', async () => {
    const id = await awaitingCallback(tier);
    tier.outbox.clear();
    await callbackCompleted(tier, id, { resolved: false, satisfaction: Satisfaction.Unsatisfied });
    expect(await orderOf(tier, id)).toMatchObject({ state: OrderState.Reopened, cycle: 2, reworkCount: 1 });
    expect(await lastEntry(tier, id)).toMatchObject({ action: 'reopen', actor: 'system:dispatch' });
    expect(tier.outbox.only('ticket.reopened.v1').data).toMatchObject({ source: 'callback', cycle: 2, unitId: unit.market });
  });

  it('a verdict for another cycle is ignored', async () => {
    const id = await awaitingCallback(tier);
    await steps.reopen(people.dispatcher, id, { reason: 'x' });
    tier.outbox.clear();
    const e = tier.event('callback.completed.v1', {
      ticketId: id,
      district: '630104',
      data: {
        taskId: randomUUID(),
        unitId: unit.market,
        cycle: 1,
        contacted: true,
        resolved: true,
        satisfaction: Satisfaction.Satisfied,
        channel: CallbackChannel.Phone,
        completedAt: tier.clock.now().toISOString(),
      },
    });
    await tier.transaction(() => tier.get(WorkflowService).onCallbackCompleted(e));
    expect((await orderOf(tier, id)).state).toBe(OrderState.Reopened);
    expect(tier.outbox.types()).toEqual([]);
  });

  it('unreachable: closed, ticket.closed.v1 callback_unreachable', async () => {
    const id = await awaitingCallback(tier);
    tier.outbox.clear();
    const e = tier.event('callback.failed.v1', {
      ticketId: id,
      district: '630104',
      data: {
        taskId: randomUUID(),
        unitId: unit.market,
        cycle: 1,
        attempts: 3,
        reason: 'no_answer',
        failedAt: tier.clock.now().toISOString(),
      },
    });
    await tier.transaction(() => tier.get(WorkflowService).onCallbackFailed(e));
    expect((await orderOf(tier, id)).state).toBe(OrderState.Closed);
    expect(await lastEntry(tier, id)).toMatchObject({ action: 'close', note: '回访未接通 unreachable after 3 attempts' });
    expect(tier.outbox.only('ticket.closed.v1').data).toMatchObject({ closeReason: 'callback_unreachable', cycle: 1 });
    expect(tier.outbox.only('ticket.closed.v1').data).not.toHaveProperty('satisfaction');
  });
});

describe("sla's due times (sla.clocks-set.v1)", () => {
  const clocksSet = (
    ticketId: string,
    occurredAt: string,
    data: { cycle: number; respondDueAt?: string; finishDueAt: string; finishWarnAt?: string },
  ) => tier.get(WorkflowService).onClocksSet([clocksSetEvent(ticketId, occurredAt, data)]);
  const clocksSetEvent = (
    ticketId: string,
    occurredAt: string,
    data: { cycle: number; respondDueAt?: string; finishDueAt: string; finishWarnAt?: string },
  ) =>
    tier.event('sla.clocks-set.v1', {
      ticketId,
      district: CHENGXI,
      producer: 'sla',
      occurredAt: new Date(occurredAt),
      data: { unitId: unit.market, policyId: randomUUID(), ...data },
    });
  const dueOf = async (id: string) => {
    const o = await orderOf(tier, id);
    return {
      cycle: o.dueCycle,
      respond: o.respondDueAt?.toISOString() ?? null,
      finish: o.finishDueAt?.toISOString() ?? null,
      finishWarn: o.finishWarnAt?.toISOString() ?? null,
    };
  };

  it('applies the newest of a cycle, ignores an older one arriving late, and an older cycle', async () => {
    const id = await accept(tier);
    await tier.transaction(() =>
      clocksSet(id, '2026-03-02T10:00:05.000Z', {
        cycle: 1,
        respondDueAt: '2026-03-02T12:00:00.000Z',
        finishDueAt: '2026-03-09T10:00:00.000Z',
        finishWarnAt: '2026-03-07T10:00:00.000Z',
      }),
    );
    expect(await dueOf(id)).toEqual({
      cycle: 1,
      respond: '2026-03-02T12:00:00.000Z',
      finish: '2026-03-09T10:00:00.000Z',
      finishWarn: '2026-03-07T10:00:00.000Z',
    });
    // An older event of the same cycle (an extension computed before it) changes nothing.
    await tier.transaction(() => clocksSet(id, '2026-03-02T10:00:01.000Z', { cycle: 1, finishDueAt: '2026-03-05T10:00:00.000Z' }));
    expect((await dueOf(id)).finish).toBe('2026-03-09T10:00:00.000Z');
    // A new cycle without a respond clock: its finish due time, no respond due time, no warning given.
    await tier.transaction(() => clocksSet(id, '2026-03-03T08:00:00.000Z', { cycle: 2, finishDueAt: '2026-03-10T08:00:00.000Z' }));
    expect(await dueOf(id)).toEqual({ cycle: 2, respond: null, finish: '2026-03-10T08:00:00.000Z', finishWarn: null });
    // Cycle 1 again, newer by its time: still older than cycle 2.
    await tier.transaction(() => clocksSet(id, '2026-03-04T08:00:00.000Z', { cycle: 1, finishDueAt: '2026-03-20T08:00:00.000Z' }));
    expect((await dueOf(id)).finish).toBe('2026-03-10T08:00:00.000Z');
  });

  it('keeps the respond due time when a later event of the same cycle has none', async () => {
    const id = await accept(tier);
    await tier.transaction(() =>
      clocksSet(id, '2026-03-02T10:00:05.000Z', {
        cycle: 1,
        respondDueAt: '2026-03-02T12:00:00.000Z',
        finishDueAt: '2026-03-09T10:00:00.000Z',
      }),
    );
    await tier.transaction(() => clocksSet(id, '2026-03-02T11:00:00.000Z', { cycle: 1, finishDueAt: '2026-03-11T10:00:00.000Z' }));
    expect(await dueOf(id)).toMatchObject({ cycle: 1, respond: '2026-03-02T12:00:00.000Z', finish: '2026-03-11T10:00:00.000Z' });
  });

  it("applies a batch's due times in one go: an order's in the order given, another order's beside them", async () => {
    const [a, b] = [await accept(tier), await accept(tier)];
    await tier.transaction(() =>
      tier.get(WorkflowService).onClocksSet([
        clocksSetEvent(a, '2026-03-02T10:00:05.000Z', {
          cycle: 1,
          respondDueAt: '2026-03-02T12:00:00.000Z',
          finishDueAt: '2026-03-09T10:00:00.000Z',
        }),
        clocksSetEvent(b, '2026-03-02T10:00:06.000Z', { cycle: 1, finishDueAt: '2026-03-12T10:00:00.000Z' }),
        // The same order again in the batch: a new cycle, after the first (a second round).
        clocksSetEvent(a, '2026-03-03T08:00:00.000Z', { cycle: 2, finishDueAt: '2026-03-10T08:00:00.000Z' }),
        // And an older event of that cycle, late: changes nothing.
        clocksSetEvent(a, '2026-03-03T07:00:00.000Z', { cycle: 2, finishDueAt: '2026-03-04T08:00:00.000Z' }),
      ]),
    );
    expect(await dueOf(a)).toEqual({ cycle: 2, respond: null, finish: '2026-03-10T08:00:00.000Z', finishWarn: null });
    expect(await dueOf(b)).toMatchObject({ cycle: 1, respond: null, finish: '2026-03-12T10:00:00.000Z' });
  });

  it('fails the batch (EarlyEventError naming the order) when one of its orders has not arrived yet, not when one holds newer times', async () => {
    const known = await accept(tier);
    await tier.transaction(() => clocksSet(known, '2026-03-02T10:00:05.000Z', { cycle: 1, finishDueAt: '2026-03-09T10:00:00.000Z' }));
    const missing = randomUUID();
    const batch = tier.transaction(() =>
      tier
        .get(WorkflowService)
        .onClocksSet([
          clocksSetEvent(known, '2026-03-02T09:00:00.000Z', { cycle: 1, finishDueAt: '2026-03-05T10:00:00.000Z' }),
          clocksSetEvent(missing, '2026-03-02T10:00:05.000Z', { cycle: 1, finishDueAt: '2026-03-09T10:00:00.000Z' }),
        ]),
    );
    await expect(batch).rejects.toBeInstanceOf(EarlyEventError);
    await expect(batch).rejects.toThrow(new RegExp(`unknown order ${missing};`));
    // The older event alone is no failure: its order is known.
    await tier.transaction(() => clocksSet(known, '2026-03-02T09:00:00.000Z', { cycle: 1, finishDueAt: '2026-03-05T10:00:00.000Z' }));
    expect((await dueOf(known)).finish).toBe('2026-03-09T10:00:00.000Z');
  });

  it('asks for a retry (EarlyEventError) when the order has not arrived yet', async () => {
    await expect(
      tier.transaction(() => clocksSet(randomUUID(), '2026-03-02T10:00:05.000Z', { cycle: 1, finishDueAt: '2026-03-09T10:00:00.000Z' })),
    ).rejects.toBeInstanceOf(EarlyEventError);
  });

  it("takes its orders' locks in a batch's order, so a batch locking them one by one waits instead of deadlocking", async () => {
    // Two orders of one district, the later id written first (the UPDATE's scan meets it first) and
    // named first in the due-times batch: the order the lock must not follow.
    let [first, second] = [await accept(tier), await accept(tier)];
    while (first < second) [first, second] = [await accept(tier), await accept(tier)];
    const [lo, hi] = [second, first];
    // Another batch (supervision events, say) holds the lower order, as the consumer host's sort has it take it first.
    const other = tier.ds.createQueryRunner();
    await other.connect();
    try {
      await other.startTransaction();
      await other.query(`SELECT 1 FROM dispatch.work_order WHERE ticket_id = $1 FOR UPDATE`, [lo]);
      const dueTimes = tier.transaction(() =>
        tier
          .get(WorkflowService)
          .onClocksSet([
            clocksSetEvent(hi, '2026-03-02T10:00:05.000Z', { cycle: 1, finishDueAt: '2026-03-09T10:00:00.000Z' }),
            clocksSetEvent(lo, '2026-03-02T10:00:06.000Z', { cycle: 1, finishDueAt: '2026-03-10T10:00:00.000Z' }),
          ]),
      );
      const settled = dueTimes.then(
        () => 'applied',
        (e: Error) => e.message,
      );
      await waitForLockWait(tier);
      // The other batch's next order: free, since the due times wait for the lower one without holding the higher.
      await other.query(`SET LOCAL lock_timeout = '3s'`);
      await other.query(`SELECT 1 FROM dispatch.work_order WHERE ticket_id = $1 FOR UPDATE`, [hi]);
      await other.commitTransaction();
      expect(await settled).toBe('applied');
    } finally {
      if (other.isTransactionActive) await other.rollbackTransaction();
      await other.release();
    }
    expect((await dueOf(hi)).finish).toBe('2026-03-09T10:00:00.000Z');
    expect((await dueOf(lo)).finish).toBe('2026-03-10T10:00:00.000Z');
  });
});

/** Resolves once a backend of this test's database waits for a row lock (the statement under test is blocked). */
async function waitForLockWait(t: ServiceTier): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const [{ n }]: { n: number }[] = await t.ds.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    if (n > 0) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('no backend waited for a lock within 2 s');
}

describe('双交办 by a merge (ticket.merged.v1)', () => {
  /** People of a Chengdong unit: its handler and its head (一把手). */
  const units = {
    handler: (unitId: string): Principal => ({
      id: `handler-${unitId.slice(0, 8)}`,
      roles: ['handler'],
      districts: [CHENGDONG],
      units: [unitId],
    }),
    head: (unitId: string): Principal => ({
      id: `head-${unitId.slice(0, 8)}`,
      roles: ['unit_head'],
      districts: [CHENGDONG],
      units: [unitId],
    }),
  };
  /** intake merged another contact into the order: the order's flags after the merge. */
  const merge = (ticketId: string, district: string, flags: TicketFlag[]) =>
    tier.transaction(() =>
      tier.get(WorkflowService).onMerged(
        tier.event('ticket.merged.v1', {
          ticketId,
          district,
          producer: 'intake',
          data: { contactId: randomUUID(), channel: Channel.Phone, citizenCount: 2, flags, mergedAt: tier.clock.now().toISOString() },
        }),
      ),
    );
  const unitSteps = () => tier.get(UnitStepsService);
  const reply = { outcome: ReplyOutcome.Resolved, replyText: '已责令维保单位检修电梯，运行正常' };

  /** A Chengdong order (its centre asks for the leader's sign-off) signed for and contacted by its unit's handler. */
  async function contactedInChengdong(): Promise<{ id: string; handler: Principal; head: Principal }> {
    const id = await accept(tier, { district: CHENGDONG });
    const { unitId, state } = await orderOf(tier, id);
    expect(state).toBe(OrderState.Dispatched);
    const handler = units.handler(unitId!);
    await unitSteps().sign(handler, id);
    await unitSteps().contact(handler, id, { method: ContactMethod.Phone });
    tier.outbox.clear();
    return { id, handler, head: units.head(unitId!) };
  }

  it('leaves the order with its unit, tells the leader, and holds the reply until the leader signs it off', async () => {
    const { id, handler } = await contactedInChengdong();
    const before = await orderOf(tier, id);
    await merge(id, CHENGDONG, [TicketFlag.Repeat]);
    const held = await orderOf(tier, id);
    expect(held).toMatchObject({
      state: OrderState.Contacted,
      unitId: before.unitId,
      assignmentId: before.assignmentId,
      flags: ['repeat'],
    });
    expect(held.leaderHoldAt).toEqual(tier.clock.now());
    expect((await timelineOf(tier, id)).slice(-2).map((t) => [t.action, t.fromState, t.toState])).toEqual([
      ['merged', null, null],
      ['leader_hold', 'contacted', 'contacted'],
    ]);
    expect(tier.outbox.types()).toEqual(['ticket.held-for-leader.v1']);
    const event = tier.outbox.only('ticket.held-for-leader.v1');
    expect(event).toMatchObject({ district: CHENGDONG, data: { flags: ['repeat'], centreUnitId: unitIdFor('630102-centre') } });
    expect(event.data.suggestedUnitId).toBeUndefined();
    // In the leader's queue, beside the orders held before their dispatch, and on the leader's worklist.
    const leaderQueue = await tier.get(WorkflowService).queue(chengdongDispatcher, { queue: 'leader' });
    expect(leaderQueue.map((o) => o.ticketId)).toContain(id);
    const awaiting = await tier.get(WorkflowService).list(chengdongLeader, { awaitingLeader: 'true' }, 500);
    expect(awaiting.map((o) => o.ticketId)).toContain(id);
    expect(awaiting.every((o) => o.state === OrderState.AwaitingLeader || o.leaderHoldAt !== null)).toBe(true);
    expect((await tier.get(WorkflowService).queueCounts(chengdongDispatcher)).leader).toBe(
      (await tier.get(WorkflowService).queue(chengdongDispatcher, { queue: 'leader', limit: 500 })).length,
    );

    // The unit keeps working; its reply waits for the leader.
    tier.outbox.clear();
    await expect(unitSteps().reply(handler, id, reply)).rejects.toThrow(/须经区领导签批/);
    expect((await orderOf(tier, id)).state).toBe(OrderState.Contacted);
    await expect(steps.leaderSignoff(chengdongDispatcher, id, {})).rejects.toBeInstanceOf(ForbiddenException);
    await steps.leaderSignoff(chengdongLeader, id, { note: '请三日内办结' });
    expect((await orderOf(tier, id)).leaderHoldAt).toBeNull();
    expect(await lastEntry(tier, id)).toMatchObject({ action: 'leader_signoff', actor: chengdongLeader.id, toState: 'contacted' });
    expect((await tier.get(WorkflowService).queue(chengdongDispatcher, { queue: 'leader' })).map((o) => o.ticketId)).not.toContain(id);
    await expect(steps.leaderSignoff(chengdongLeader, id, {})).rejects.toBeInstanceOf(ConflictException);
    await unitSteps().reply(handler, id, reply);
    expect((await orderOf(tier, id)).state).toBe(OrderState.Replied);
    expect(tier.outbox.types()).toEqual(['ticket.replied.v1']);
  });

  it("lets the unit submit its reply to its own head, and holds the head's approval until the leader signs", async () => {
    const { id, handler, head } = await contactedInChengdong();
    const unitId = (await orderOf(tier, id)).unitId!;
    await tier.ds.query(`UPDATE dispatch.org_unit SET requires_head_signoff = true WHERE id = $1`, [unitId]);
    try {
      await merge(id, CHENGDONG, [TicketFlag.Concentrated]);
      await unitSteps().reply(handler, id, reply);
      expect((await orderOf(tier, id)).state).toBe(OrderState.AwaitingSignoff);
      tier.outbox.clear();
      await expect(unitSteps().signoff(head, id, { decision: 'approved' })).rejects.toThrow(/须经区领导签批/);
      await steps.leaderSignoff(chengdongLeader, id, {});
      await unitSteps().signoff(head, id, { decision: 'approved' });
      expect((await orderOf(tier, id)).state).toBe(OrderState.Replied);
      expect(tier.outbox.types()).toEqual(['ticket.replied.v1']);
    } finally {
      await tier.ds.query(`UPDATE dispatch.org_unit SET requires_head_signoff = false WHERE id = $1`, [unitId]);
    }
  });

  it('holds an order no rule placed for the leader, as a flagged new order is (awaiting_leader)', async () => {
    const centre = unitIdFor('630105-centre');
    await tier.ds.query(`UPDATE dispatch.org_unit SET dual_signoff_required = true WHERE id = $1`, [centre]);
    try {
      const id = await accept(tier, { district: CHENGBEI });
      tier.outbox.clear();
      await merge(id, CHENGBEI, [TicketFlag.Repeat]);
      expect(await orderOf(tier, id)).toMatchObject({ state: OrderState.AwaitingLeader, leaderHoldAt: null });
      expect(await lastEntry(tier, id)).toMatchObject({ action: 'hold_for_leader', fromState: 'unrouted', toState: 'awaiting_leader' });
      expect(tier.outbox.only('ticket.held-for-leader.v1').data).toMatchObject({ flags: ['repeat'], centreUnitId: centre });
    } finally {
      await tier.ds.query(`UPDATE dispatch.org_unit SET dual_signoff_required = false WHERE id = $1`, [centre]);
    }
  });

  it('holds nothing where the district does not ask, once the order was flagged, or once its reply has gone out', async () => {
    const chengxi = await accept(tier);
    const replied = await accept(tier, { district: CHENGDONG });
    const handler = units.handler((await orderOf(tier, replied)).unitId!);
    await unitSteps().sign(handler, replied);
    await unitSteps().contact(handler, replied, { method: ContactMethod.Phone });
    await unitSteps().reply(handler, replied, reply);
    const { id: flagged } = await contactedInChengdong();
    await merge(flagged, CHENGDONG, [TicketFlag.Repeat]);
    await steps.leaderSignoff(chengdongLeader, flagged, {});
    tier.outbox.clear();
    await merge(chengxi, CHENGXI, [TicketFlag.Repeat]);
    await merge(replied, CHENGDONG, [TicketFlag.Repeat]);
    await merge(flagged, CHENGDONG, [TicketFlag.Repeat, TicketFlag.Concentrated]);
    expect(tier.outbox.types()).toEqual([]);
    for (const id of [chengxi, replied, flagged]) {
      const o = await orderOf(tier, id);
      expect(o.leaderHoldAt).toBeNull();
      expect(o.flags).toContain(TicketFlag.Repeat);
      expect(await lastEntry(tier, id)).toMatchObject({ action: 'merged' });
    }
  });
});
