import { TicketSignedV1 } from '@app/contracts';
import { InvalidEventError, Outbox, Propagation, TransactionHost, TxHost } from '@app/platform';
import { serviceTier, ServiceTier, strictFake } from '@app/platform/testing';
import { randomUUID } from 'node:crypto';
import { DISPATCH_PERSISTENCE } from '../../apps/dispatch/src/dispatch.persistence';

/** The tier's own rules: its recording outbox refuses what the real one refuses and forgets what rolls back. */
let tier: ServiceTier;
let outbox: Outbox;
let txHost: TxHost;
beforeAll(async () => {
  tier = await serviceTier({ service: 'dispatch', persistence: DISPATCH_PERSISTENCE, providers: [] });
  outbox = tier.get(Outbox);
  txHost = tier.get(TransactionHost);
});
afterAll(() => tier?.close());
beforeEach(() => tier.outbox.clear());

const ticketId = randomUUID();
const signed = (): TicketSignedV1 => ({
  assignmentId: randomUUID(),
  unitId: randomUUID(),
  signedBy: 'h-630104-market',
  signedAt: '2026-03-02T02:00:00.000Z',
});

it('runs on a migrated schema of its own (with the demo organisation of the template)', async () => {
  const [{ n }] = await tier.ds.query<{ n: string }[]>(`SELECT count(*) AS n FROM dispatch.org_unit`);
  expect(Number(n)).toBeGreaterThan(100);
});

it('records an event published in a transaction that commits, with its subject', async () => {
  await tier.transaction(() => outbox.publish('ticket.signed.v1', { district: '630104', ticketId, data: signed() }));
  expect(tier.outbox.types()).toEqual(['ticket.signed.v1']);
  expect(tier.outbox.events[0].subject).toBe('svc.630104.ticket.signed.v1');
  expect(tier.outbox.only('ticket.signed.v1')).toMatchObject({ ticketId, district: '630104', producer: 'dispatch', version: 1 });
});

it('refuses to publish outside a transaction, as the real outbox does', async () => {
  await expect(outbox.publish('ticket.signed.v1', { district: '630104', ticketId, data: signed() })).rejects.toThrow(
    'must run inside a transaction',
  );
  expect(tier.outbox.types()).toEqual([]);
});

it('refuses an event its contract rejects, and the transaction with it', async () => {
  const bad = { ...signed(), unitId: 'not-a-uuid' };
  await expect(
    tier.transaction(() => outbox.publish('ticket.signed.v1', { district: '630104', ticketId, data: bad })),
  ).rejects.toBeInstanceOf(InvalidEventError);
  expect(tier.outbox.types()).toEqual([]);
});

it('forgets an event whose transaction rolls back', async () => {
  await expect(
    tier.transaction(async () => {
      await outbox.publish('ticket.signed.v1', { district: '630104', ticketId, data: signed() });
      throw new Error('a later step failed');
    }),
  ).rejects.toThrow('a later step failed');
  expect(tier.outbox.types()).toEqual([]);
});

it('forgets only what a rolled-back savepoint published', async () => {
  await tier.transaction(async () => {
    await outbox.publish('ticket.signed.v1', { district: '630104', ticketId, data: signed() });
    await txHost
      .withTransaction(Propagation.Nested, async () => {
        await outbox.publish('ticket.signed.v1', { district: '630105', ticketId, data: signed() });
        throw new Error('inner step failed');
      })
      .catch(() => undefined);
  });
  expect(tier.outbox.events.map((e) => e.envelope.district)).toEqual(['630104']);
});

it('keeps what a released savepoint published when a later savepoint rolls back (sla: one clock per savepoint)', async () => {
  await tier.transaction(async () => {
    await txHost.withTransaction(Propagation.Nested, () =>
      outbox.publish('ticket.signed.v1', { district: '630104', ticketId, data: signed() }),
    );
    await txHost
      .withTransaction(Propagation.Nested, async () => {
        await outbox.publish('ticket.signed.v1', { district: '630105', ticketId, data: signed() });
        throw new Error('the second clock failed');
      })
      .catch(() => undefined);
  });
  expect(tier.outbox.events.map((e) => e.envelope.district)).toEqual(['630104']);
});

it('records a batch published with publishMany in the order given, as the real outbox writes it', async () => {
  const envelopes = await tier.transaction(() =>
    outbox.publishMany([
      { type: 'ticket.signed.v1', district: '630104', ticketId, data: signed() },
      { type: 'ticket.signed.v1', district: '630105', ticketId, data: signed() },
    ]),
  );
  expect(tier.outbox.events.map((e) => [e.subject, e.envelope.id])).toEqual([
    ['svc.630104.ticket.signed.v1', envelopes[0].id],
    ['svc.630105.ticket.signed.v1', envelopes[1].id],
  ]);
});

it('refuses a batch outside a transaction, and a whole batch when one event is invalid', async () => {
  await expect(outbox.publishMany([{ type: 'ticket.signed.v1', district: '630104', ticketId, data: signed() }])).rejects.toThrow(
    'must run inside a transaction',
  );
  let refused: unknown;
  await tier.transaction(async () => {
    refused = await outbox
      .publishMany([
        { type: 'ticket.signed.v1', district: '630104', ticketId, data: signed() },
        { type: 'ticket.signed.v1', district: '630105', ticketId, data: { ...signed(), unitId: 'not-a-uuid' } },
      ])
      .catch((e: unknown) => e);
    // The refusal wrote nothing (not even the valid first event); the transaction goes on and commits.
    await outbox.publish('ticket.signed.v1', { district: '630106', ticketId, data: signed() });
  });
  expect(refused).toBeInstanceOf(InvalidEventError);
  expect(tier.outbox.events.map((e) => e.envelope.district)).toEqual(['630106']);
});

it('forgets a batch whose savepoint rolls back, and keeps one released before it', async () => {
  await tier.transaction(async () => {
    await txHost.withTransaction(Propagation.Nested, () =>
      outbox.publishMany([{ type: 'ticket.signed.v1', district: '630104', ticketId, data: signed() }]),
    );
    await txHost
      .withTransaction(Propagation.Nested, async () => {
        await outbox.publishMany([
          { type: 'ticket.signed.v1', district: '630105', ticketId, data: signed() },
          { type: 'ticket.signed.v1', district: '630106', ticketId, data: signed() },
        ]);
        throw new Error('the batch write failed');
      })
      .catch(() => undefined);
  });
  expect(tier.outbox.events.map((e) => e.envelope.district)).toEqual(['630104']);
});

it('hands a handler only an event its contract accepts', () => {
  expect(() => tier.event('ticket.signed.v1', { ticketId, district: '630104', data: { ...signed(), signedAt: 'yesterday' } })).toThrow(
    'invalid',
  );
  expect(tier.event('ticket.signed.v1', { ticketId, district: '630104', data: signed() }).data).toBeInstanceOf(TicketSignedV1);
});

it('gives strict fakes: a call the test did not set up fails with its name', () => {
  const fake = strictFake<{ reveal(): string; other(): string }>('CitizenContacts', { reveal: () => 'ok' });
  expect(fake.reveal()).toBe('ok');
  expect(() => fake.other()).toThrow('CitizenContacts.other was called, but the test did not set it up');
});
