import { Principal } from '@app/platform';
import { BadRequestException, ConflictException, NotFoundException } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { randomUUID } from 'node:crypto';
import { DispatcherStepsService } from './dispatcher-steps.service';
import { OrderState } from './order-state';
import { OrderSteps } from './order-steps';
import { WorkOrder } from './work-order.entity';
import { BulkDispatchDto, DispatchDto, QueueQuery } from './workflow.dto';

const dispatcher: Principal = { id: 'disp-630104', roles: ['dispatcher'], districts: ['630104'], units: [] };
const unitId = randomUUID();

/** The service with its single dispatch replaced: each id answers as `outcomes` says; nothing else may be called. */
function serviceWith(outcomes: Record<string, Error | null>): { svc: DispatcherStepsService; calls: [string, DispatchDto][] } {
  const steps = new Proxy({} as OrderSteps, {
    get: (_t, prop) => {
      throw new Error(`unexpected OrderSteps.${String(prop)}`);
    },
  });
  const svc = new DispatcherStepsService(steps);
  const calls: [string, DispatchDto][] = [];
  jest.spyOn(svc, 'dispatch').mockImplementation((_user, ticketId, dto) => {
    calls.push([ticketId, dto]);
    const outcome = outcomes[ticketId];
    if (outcome) return Promise.reject(outcome);
    return Promise.resolve(Object.assign(new WorkOrder(), { ticketId, state: OrderState.Dispatched }));
  });
  return { svc, calls };
}

describe('bulk dispatch (批量派单)', () => {
  it('dispatches each order on its own and reports each outcome, refusals with the single endpoint’s status and reason', async () => {
    const [a, b, c, d] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    const { svc, calls } = serviceWith({
      [a]: null,
      [b]: new ConflictException('cannot 派单 dispatch an order that is dispatched (allowed from: unrouted)'),
      [c]: new NotFoundException(`no order ${c}`),
      [d]: new BadRequestException({ statusCode: 400, message: ['unitId: not a unit of 630104'], errors: [] }),
    });
    const reply = await svc.bulkDispatch(dispatcher, { ticketIds: [a, b, c, d], unitId, note: '同一小区' });
    expect(calls).toEqual([a, b, c, d].map((id) => [id, { unitId, note: '同一小区' }]));
    expect(reply).toEqual({
      dispatched: 1,
      refused: 3,
      results: [
        { ticketId: a, ok: true, state: 'dispatched' },
        { ticketId: b, ok: false, status: 409, message: 'cannot 派单 dispatch an order that is dispatched (allowed from: unrouted)' },
        { ticketId: c, ok: false, status: 404, message: `no order ${c}` },
        { ticketId: d, ok: false, status: 400, message: 'unitId: not a unit of 630104' },
      ],
    });
  });

  it('stops on an error that is not a refusal (the database went away): nothing is reported as done that was not', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const { svc, calls } = serviceWith({ [a]: new Error('connection terminated') });
    await expect(svc.bulkDispatch(dispatcher, { ticketIds: [a, b], unitId })).rejects.toThrow('connection terminated');
    expect(calls.map(([id]) => id)).toEqual([a]);
  });
});

describe('queue and bulk-dispatch input', () => {
  const errors = async <T extends object>(cls: new () => T, plain: object) =>
    (await validate(plainToInstance(cls, plain), { whitelist: true, forbidNonWhitelisted: true })).map((e) => e.property).sort();

  it('accepts the five queues and paging, and names what is wrong', async () => {
    for (const queue of ['unrouted', 'returned', 'leader', 'review', 'city']) expect(await errors(QueueQuery, { queue })).toEqual([]);
    expect(await errors(QueueQuery, { limit: '50', offset: '100' })).toEqual([]);
    expect(await errors(QueueQuery, { queue: 'all', limit: '501', offset: '-1' })).toEqual(['limit', 'offset', 'queue']);
    expect(await errors(QueueQuery, { state: 'unrouted' })).toEqual(['state']);
  });

  it('wants 1–50 distinct order ids and a unit', async () => {
    const id = randomUUID();
    expect(await errors(BulkDispatchDto, { ticketIds: [id], unitId })).toEqual([]);
    expect(await errors(BulkDispatchDto, { ticketIds: [], unitId })).toEqual(['ticketIds']);
    expect(await errors(BulkDispatchDto, { ticketIds: [id, id], unitId })).toEqual(['ticketIds']);
    expect(await errors(BulkDispatchDto, { ticketIds: Array.from({ length: 51 }, () => randomUUID()), unitId })).toEqual(['ticketIds']);
    expect(await errors(BulkDispatchDto, { ticketIds: ['20260309-000001'] })).toEqual(['ticketIds', 'unitId']);
  });
});
