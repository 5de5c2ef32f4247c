import 'reflect-metadata';
import {
  Channel,
  CloseReason,
  ContractMap,
  EventEnvelope,
  TicketEventType,
  ReopenSource,
  ReplyOutcome,
  RequestType,
  TicketDispatchedV1,
  Urgency,
} from '@app/contracts';
import { standaloneTxHost } from '@app/platform';
import { asBatch, createTestDatabase, migratedDataSource, testEnvelope } from '@app/platform/testing';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { INTAKE_PERSISTENCE } from '../intake.persistence';
import { ProgressHandlers } from './progress.handlers';
import { Ticket } from './ticket.entity';
import { TicketsRepository } from './tickets.repository';

/** What intake shows of an order as dispatch's events arrive, on the intake schema in a real Postgres. */
describe('ProgressHandlers', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let ds: DataSource;
  let repo: TicketsRepository;
  let handlers: ProgressHandlers;

  const UNIT_A = randomUUID();
  const UNIT_B = randomUUID();

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await migratedDataSource(db.url, 'intake', INTAKE_PERSISTENCE);
    repo = new TicketsRepository(standaloneTxHost(ds));
    handlers = new ProgressHandlers(repo);
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  let n = 0;
  async function newOrder(): Promise<string> {
    n += 1;
    const id = randomUUID();
    await repo.insert(
      Object.assign(new Ticket(), {
        id,
        orderNo: `20260309-${String(n).padStart(6, '0')}`,
        channel: Channel.Phone,
        requestType: RequestType.Complaint,
        categoryCode: 'neighbourhood',
        urgency: Urgency.Ordinary,
        content: '邻居楼道堆放杂物影响通行',
        address: '西宁市城西区胜利路12号',
        districtCode: '630104',
        streetCode: '630104004',
        createdBy: 'op-001',
        acceptedAt: new Date('2026-03-09T02:00:00Z'),
      }),
    );
    return id;
  }

  const envelope = <K extends TicketEventType>(type: K, ticketId: string, data: ContractMap[K]): EventEnvelope<K> =>
    testEnvelope(type, { occurredAt: '2026-03-09T02:00:00.000Z', district: '630104', ticketId, producer: 'dispatch', data });
  const dispatchedEvent = (id: string, cycle: number, unitId: string, unitName: string, at = '2026-03-09T02:05:00.000Z') =>
    envelope('ticket.dispatched.v1', id, { unitId, unitName, cycle, dispatchedAt: at } as TicketDispatchedV1);
  // Each step as a batch of one, as the consumer host applies a lone message.
  const dispatched = (id: string, cycle: number, unitId: string, unitName: string) =>
    asBatch((ctx) => handlers.dispatched(dispatchedEvent(id, cycle, unitId, unitName), ctx));
  const replied = (id: string, cycle: number, unitId: string, replyText: string) =>
    asBatch((ctx) =>
      handlers.replied(
        envelope('ticket.replied.v1', id, {
          assignmentId: randomUUID(),
          unitId,
          outcome: ReplyOutcome.Resolved,
          replyText,
          cycle,
          repliedAt: '2026-03-10T02:00:00.000Z',
        }),
        ctx,
      ),
    );
  const closed = (id: string, cycle: number, unitId: string) =>
    asBatch((ctx) =>
      handlers.closed(
        envelope('ticket.closed.v1', id, {
          unitId,
          outcome: ReplyOutcome.Resolved,
          closeReason: CloseReason.CallbackSatisfied,
          cycle,
          closedAt: '2026-03-11T02:00:00.000Z',
        }),
        ctx,
      ),
    );
  const reopened = (id: string, cycle: number, unitId: string) =>
    asBatch((ctx) =>
      handlers.reopened(
        envelope('ticket.reopened.v1', id, {
          assignmentId: randomUUID(),
          unitId,
          source: ReopenSource.Dispatcher,
          reason: '诉求人再次来电',
          cycle,
          reopenedAt: '2026-03-12T02:00:00.000Z',
        }),
        ctx,
      ),
    );
  const shown = async (id: string) => {
    const t = (await repo.findById(id))!;
    return { progress: t.progress, unitId: t.unitId, unitName: t.unitName, publicReply: t.publicReply };
  };

  it('a closed order reopened to another unit is handled again, by that unit', async () => {
    const id = await newOrder();
    await dispatched(id, 1, UNIT_A, '胜利路街道');
    await replied(id, 1, UNIT_A, '社区已督促清理楼道杂物');
    await closed(id, 1, UNIT_A);
    expect(await shown(id)).toEqual({ progress: 'closed', unitId: UNIT_A, unitName: '胜利路街道', publicReply: '社区已督促清理楼道杂物' });

    await reopened(id, 2, UNIT_B);
    // The old unit's name is not shown as handling it; the event names no unit name.
    expect(await shown(id)).toEqual({ progress: 'processing', unitId: UNIT_B, unitName: null, publicReply: null });

    // A redelivered close of the first cycle moves nothing back.
    await closed(id, 1, UNIT_A);
    expect((await shown(id)).progress).toBe('processing');

    await replied(id, 2, UNIT_B, '城管已清理占道堆放');
    await closed(id, 2, UNIT_B);
    expect(await shown(id)).toEqual({ progress: 'closed', unitId: UNIT_B, unitName: null, publicReply: '城管已清理占道堆放' });
  });

  it('a reopen to the same unit keeps its name', async () => {
    const id = await newOrder();
    await dispatched(id, 1, UNIT_A, '胜利路街道');
    await closed(id, 1, UNIT_A);
    await reopened(id, 2, UNIT_A);
    expect(await shown(id)).toEqual({ progress: 'processing', unitId: UNIT_A, unitName: '胜利路街道', publicReply: null });
  });

  it('a late step of an earlier cycle never moves a reopened order back', async () => {
    const id = await newOrder();
    await reopened(id, 2, UNIT_B);
    await dispatched(id, 1, UNIT_A, '胜利路街道');
    await closed(id, 1, UNIT_A);
    expect(await shown(id)).toEqual({ progress: 'processing', unitId: UNIT_B, unitName: null, publicReply: null });
  });

  it('keeps the latest assignment of the unit, whatever order its events arrive in', async () => {
    const id = await newOrder();
    const assigned = (assignees: string[], at: string) =>
      handlers.assigned(
        envelope('ticket.assigned.v1', id, {
          assignmentId: randomUUID(),
          unitId: UNIT_A,
          assignees,
          cycle: 1,
          assignedBy: 'desk-1',
          assignedAt: at,
        }),
      );
    await assigned(['h-2'], '2026-03-09T03:00:00.000Z');
    await assigned(['h-1'], '2026-03-09T02:30:00.000Z'); // late copy of an earlier assignment
    await dispatched(id, 1, UNIT_A, '市场监管局驻城西区中心专席');
    const t = (await repo.findById(id))!;
    expect({ unit: t.assignedUnitId, assignees: t.assignees, sub: t.subUnitId }).toEqual({ unit: UNIT_A, assignees: ['h-2'], sub: null });
  });

  it('applies the steps of one batch together: several orders, and two steps of one order in the order given', async () => {
    const a = await newOrder();
    const b = await newOrder();
    const c = await newOrder();
    await closed(c, 1, UNIT_A);
    await asBatch(async (ctx) => {
      await handlers.dispatched(dispatchedEvent(a, 1, UNIT_A, '胜利路街道', '2026-03-09T02:05:00.000Z'), ctx);
      await handlers.dispatched(dispatchedEvent(b, 1, UNIT_A, '胜利路街道'), ctx);
      // 转办 within the cycle: the later dispatch of the same order, in the same batch, names unit B.
      await handlers.dispatched(dispatchedEvent(a, 1, UNIT_B, '彭家寨街道', '2026-03-09T03:05:00.000Z'), ctx);
      // A late dispatch of a closed order moves nothing back.
      await handlers.dispatched(dispatchedEvent(c, 1, UNIT_B, '彭家寨街道'), ctx);
      // Nothing is written before the end of the batch.
      expect((await shown(a)).progress).toBe('accepted');
    });
    expect(await shown(a)).toEqual({ progress: 'processing', unitId: UNIT_B, unitName: '彭家寨街道', publicReply: null });
    expect(await shown(b)).toEqual({ progress: 'processing', unitId: UNIT_A, unitName: '胜利路街道', publicReply: null });
    expect(await shown(c)).toMatchObject({ progress: 'closed' });
  });

  it('takes one order named in upper case by one event and in lower case by another as one order (a UUID in either case)', async () => {
    const a = await newOrder();
    await asBatch(async (ctx) => {
      await handlers.dispatched(dispatchedEvent(a.toUpperCase(), 1, UNIT_A, '胜利路街道', '2026-03-09T02:05:00.000Z'), ctx);
      await handlers.dispatched(dispatchedEvent(a, 1, UNIT_B, '彭家寨街道', '2026-03-09T03:05:00.000Z'), ctx);
    });
    // Both steps applied, in the order given: the later one names unit B.
    expect(await shown(a)).toEqual({ progress: 'processing', unitId: UNIT_B, unitName: '彭家寨街道', publicReply: null });
  });
});
