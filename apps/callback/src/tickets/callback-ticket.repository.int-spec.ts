import 'reflect-metadata';
import { standaloneTxHost } from '@app/platform';
import { createTestDatabase, migratedDataSource } from '@app/platform/testing';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CALLBACK_PERSISTENCE } from '../callback.persistence';
import { TasksRepository } from '../tasks/tasks.repository';
import { AcceptedFacts, CallbackTicketRepository } from './callback-ticket.repository';

/**
 * A batch's acceptances in callback (tasks.handlers.ts applies them at the end of the batch): one
 * statement for the batch's orders, and a second acceptance of one order in the same batch applied
 * after the first; a merge's flags (ticket.merged.v1) joining the acceptance's in either order; on
 * the callback schema in a real Postgres.
 */
describe('CallbackTicketRepository.upsertAccepted / addFlags and TasksRepository.markTickets / markRepeat', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let ds: DataSource;
  let tickets: CallbackTicketRepository;
  let tasks: TasksRepository;

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await migratedDataSource(db.url, 'callback', CALLBACK_PERSISTENCE);
    const txHost = standaloneTxHost(ds);
    tickets = new CallbackTicketRepository(txHost);
    tasks = new TasksRepository(txHost);
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  const facts = (ticketId: string, orderNo: string, flags: string[], identityHidden = false): AcceptedFacts => ({
    ticketId,
    districtCode: '630104',
    orderNo,
    flags,
    identityHidden,
    proactive: false,
    smsReachable: true,
    acceptedAt: new Date(`2026-03-09T0${orderNo.length % 9}:00:00Z`),
  });
  const row = async (ticketId: string) =>
    (
      await ds.query<{ order_no: string; flags: string[]; identity_hidden: boolean; accepted_at: Date }[]>(
        `SELECT order_no, flags, identity_hidden, accepted_at FROM callback.callback_ticket WHERE ticket_id = $1`,
        [ticketId],
      )
    )[0];

  it('writes the orders of a batch, the second acceptance of one order after the first (the first order number and time kept, the flags joined)', async () => {
    const a = randomUUID();
    const b = randomUUID();
    await tickets.upsertAccepted([facts(a, '20260309-000001', ['repeat']), facts(b, '20260309-000002', []), facts(a, 'later', [], true)]);
    expect(await row(a)).toEqual({
      order_no: '20260309-000001',
      flags: ['repeat'],
      identity_hidden: true,
      accepted_at: new Date('2026-03-09T06:00:00Z'),
    });
    expect(await row(b)).toMatchObject({ order_no: '20260309-000002', flags: [], identity_hidden: false });
    // Several flags reach the text[] column as they were.
    const c = randomUUID();
    await tickets.upsertAccepted([facts(c, '20260309-000003', ['repeat', 'concentrated'])]);
    expect(await row(c)).toMatchObject({ order_no: '20260309-000003', flags: ['repeat', 'concentrated'] });
    await tickets.upsertAccepted([]);
  });

  it('takes one order named in upper case by one acceptance and in lower case by another as one order', async () => {
    const a = randomUUID();
    await tickets.upsertAccepted([facts(a.toUpperCase(), '20260309-000004', ['repeat']), facts(a, 'later', [], true)]);
    expect(await row(a)).toMatchObject({ order_no: '20260309-000004', flags: ['repeat'], identity_hidden: true });
  });

  it('joins the flags of merges and the acceptance in any order, never removing one (addFlags)', async () => {
    // A merge before the acceptance: the row holds its flags, and the acceptance joins its own.
    const a = randomUUID();
    await tickets.addFlags(a, '630104', ['repeat']);
    expect(await row(a)).toEqual({ order_no: null, flags: ['repeat'], identity_hidden: false, accepted_at: null });
    await tickets.upsertAccepted([facts(a, '20260309-000005', [])]);
    expect(await row(a)).toMatchObject({ order_no: '20260309-000005', flags: ['repeat'] });
    await tickets.addFlags(a, '630104', ['repeat', 'concentrated']);
    await tickets.addFlags(a, '630104', []); // an older producer's merge, or one that adds nothing
    await tickets.addFlags(a, '630104', ['concentrated']);
    expect(await row(a)).toMatchObject({ flags: ['repeat', 'concentrated'] });
    // The acceptance again (a redelivery), with fewer flags: none is removed.
    await tickets.upsertAccepted([facts(a, 'later', [])]);
    expect(await row(a)).toMatchObject({ order_no: '20260309-000005', flags: ['repeat', 'concentrated'] });
    // The other way round: merges after the acceptance add to its flags.
    const b = randomUUID();
    await tickets.upsertAccepted([facts(b, '20260309-000006', ['concentrated'])]);
    await tickets.addFlags(b, '630104', ['concentrated', 'repeat']);
    expect(await row(b)).toMatchObject({ flags: ['concentrated', 'repeat'] });
  });

  it('marks the tasks of the orders given, the last wish to stay hidden winning and the repeat mark only ever set', async () => {
    const a = randomUUID();
    const b = randomUUID();
    // Order A has two tasks (its reply callback and a spot check), B one.
    for (const [ticketId, kind] of [
      [a, 'reply'],
      [a, 'spot_check'],
      [b, 'reply'],
    ]) {
      await ds.query(
        `INSERT INTO callback.callback_task (id, ticket_id, district_code, unit_id, cycle, kind, state, due_at)
         VALUES ($1, $2, '630104', $3, 1, $4, 'pending', now())`,
        [randomUUID(), ticketId, randomUUID(), kind],
      );
    }
    await tasks.markTickets([
      { ticketId: a, repeatCall: true, identityHidden: true },
      { ticketId: b, repeatCall: false, identityHidden: true },
      { ticketId: a, repeatCall: false, identityHidden: false },
    ]);
    const marks = await ds.query<{ ticket_id: string; repeat_call: boolean; identity_hidden: boolean }[]>(
      `SELECT ticket_id, repeat_call, identity_hidden FROM callback.callback_task WHERE ticket_id = ANY($1) ORDER BY ticket_id = $2 DESC`,
      [[a, b], a],
    );
    expect(marks.map((m) => [m.ticket_id, m.repeat_call, m.identity_hidden])).toEqual([
      [a, true, false],
      [a, true, false],
      [b, false, true],
    ]);
    // A merge that makes B a repeat call marks its task; A's stay as they were.
    await tasks.markRepeat(b);
    await tasks.markRepeat(b);
    const after = await ds.query<{ ticket_id: string; repeat_call: boolean }[]>(
      `SELECT ticket_id, repeat_call FROM callback.callback_task WHERE ticket_id = ANY($1) ORDER BY ticket_id = $2 DESC`,
      [[a, b], a],
    );
    expect(after.map((m) => [m.ticket_id, m.repeat_call])).toEqual([
      [a, true],
      [a, true],
      [b, true],
    ]);
  });
});
