import 'reflect-metadata';
import { ClockKind, ContractMap, EventEnvelope, EventType, ReviewDecision, Satisfaction } from '@app/contracts';
import { durableName, loadConfig, Propagation, standaloneTxHost, TxHost } from '@app/platform';
import { createTestDatabase, migratedDataSource, testEnvelope } from '@app/platform/testing';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AnalyticsConfig } from '../analytics.config';
import { ANALYTICS_PERSISTENCE } from '../analytics.persistence';
import { BatchProjector, BatchRaceError } from '../replay/batch-projector';
import { READ_MODEL_TABLES } from '../replay/replay';
import { CallbackForRollup, contributions, Counts, FactForRollup, MEASURES } from '../rollups/rollup';
import { effectOf } from './fact-effects';
import { FactsProjector } from './facts.projector';
import { FactsRepository } from './facts.repository';

/**
 * The projector on real Postgres: the read model it leaves is the same in any arrival order, and the
 * daily rollup it maintains by differences is the rollup computed from the final facts (no row left
 * at zero, none missing).
 */

const DAY = Date.parse('2026-03-09T01:00:00Z');
const at = (hours: number) => new Date(DAY + hours * 3_600_000).toISOString();

/** A small seeded generator, so a failing shuffle is the same on the next run. */
function random(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
}

function shuffled<T>(xs: T[], rnd: () => number): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/**
 * One order's events: accepted, dispatched (sometimes re-dispatched to another unit), clocks, contact,
 * reply, review, callbacks, close; some breached, merged or called back in vain. Every seventh is one
 * intake could not place (the city's code, no street) handed by 转区 to a district and handled there;
 * another is a Chengxi order with a street, dispatched there, returned and moved to Chengdong with no
 * street (so its old street and community must not come back from a late event).
 */
function order(n: number): EventEnvelope[] {
  const ticketId = randomUUID();
  const moved = n % 7 === 5;
  const movedWithStreet = n % 7 === 6;
  const accepted = moved ? '630100' : movedWithStreet ? '630104' : n % 3 === 0 ? '630105' : '630104';
  const district = moved || movedWithStreet ? '630102' : accepted;
  const [unitA, unitB] = [randomUUID(), randomUUID()];
  const h = (n % 5) * 7; // spread over several city days
  // Test data of any type, built by hand: its data is checked by the projector's own validation in the int tier.
  const ev = (type: EventType, hours: number, data: object, under = district): EventEnvelope =>
    testEnvelope(type, { occurredAt: at(h + hours), district: under, ticketId, data: data as ContractMap[EventType] });
  const events = [
    ev(
      'ticket.accepted.v1',
      0,
      {
        orderNo: `20260309-${String(n).padStart(6, '0')}`,
        channel: n % 2 ? 'phone_12345' : 'web',
        categoryCode: ['lift', 'noise', 'heating'][n % 3],
        requestType: 'complaint',
        urgency: 'normal',
        acceptedAt: at(h),
        location: moved
          ? { districtCode: accepted }
          : { districtCode: accepted, streetCode: `${accepted}004`, communityCode: `${accepted}004001`, lat: 36.6, lng: 101.7 },
        proactive: false,
        identityHidden: false,
        flags: [],
      },
      accepted,
    ),
    movedWithStreet
      ? ev(
          'ticket.dispatched.v1',
          1,
          { unitId: unitA, unitName: 'A', districtCode: accepted, streetCode: `${accepted}004`, cycle: 1, dispatchedAt: at(h + 1) },
          accepted,
        )
      : ev('ticket.dispatched.v1', 1, { unitId: unitA, unitName: 'A', districtCode: district, cycle: 1, dispatchedAt: at(h + 1) }),
    ev('sla.clocks-set.v1', 1, { cycle: 1, respondDueAt: at(h + 3), finishDueAt: at(h + 48) }),
    ev('ticket.contacted.v1', 2, { contactedAt: at(h + 2 + (n % 4)) }),
    ev('ticket.replied.v1', 30, { repliedAt: at(h + 30 + (n % 3) * 20), replyText: '已处理', cycle: 1 }),
    ev('ticket.reviewed.v1', 31, { decision: n % 4 === 1 ? ReviewDecision.SentBack : ReviewDecision.Approved }),
    ev('callback.completed.v1', 50, {
      taskId: randomUUID(),
      unitId: unitA,
      cycle: 1,
      completedAt: at(h + 50),
      contacted: true,
      resolved: n % 3 !== 2,
      satisfaction: n % 2 ? Satisfaction.Satisfied : Satisfaction.BasicallySatisfied,
      kind: 'reply',
    }),
    ev('ticket.closed.v1', 51, { closedAt: at(h + 51) }),
  ];
  if (moved) {
    events.push(
      ev('ticket.redistricted.v1', 0.5, {
        districtCode: district,
        fromDistrictCode: accepted,
        streetCode: `${district}001`,
        redistrictedAt: at(h + 0.5),
      }),
    );
  }
  if (movedWithStreet) {
    events.push(ev('ticket.redistricted.v1', 3, { districtCode: district, fromDistrictCode: accepted, redistrictedAt: at(h + 3) }));
  }
  if (n % 3 === 1 || movedWithStreet) {
    events.push(ev('ticket.dispatched.v1', 5, { unitId: unitB, unitName: 'B', districtCode: district, cycle: 1, dispatchedAt: at(h + 5) }));
  }
  if (n % 4 === 2) events.push(ev('sla.breached.v1', 3, { kind: ClockKind.Respond }));
  if (n % 5 === 3) events.push(ev('ticket.merged.v1', 4, {}));
  if (n % 6 === 4) {
    events.push(ev('callback.failed.v1', 49, { taskId: randomUUID(), unitId: unitA, cycle: 1, failedAt: at(h + 49), kind: 'reply' }));
  }
  return events;
}

const REASONS = ['litigation', 'petition', 'concluded'];

/**
 * A contact not accepted (不予受理): one event, never dispatched; a third without a street, some
 * under the city's code (intake could not place them).
 */
function refused(n: number): EventEnvelope {
  const district = n % 4 === 3 ? '630100' : n % 2 ? '630105' : '630104';
  return testEnvelope('ticket.not-accepted.v1', {
    occurredAt: at((n % 5) * 7 + 2),
    district,
    ticketId: randomUUID(),
    data: {
      orderNo: `20260309-${String(900 + n).padStart(6, '0')}`,
      channel: n % 2 ? 'phone_12345' : 'mayor_mailbox',
      requestType: 'complaint',
      categoryCode: ['lift', 'noise', 'heating'][n % 3],
      reason: REASONS[n % 3],
      ...(n % 3 && district !== '630100' ? { streetCode: `${district}004` } : {}),
      notAcceptedAt: at((n % 5) * 7 + 2),
    } as ContractMap['ticket.not-accepted.v1'],
  });
}

describe('FactsProjector', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let ds: DataSource;
  let projector: FactsProjector;
  let txHost: TxHost;
  let config: AnalyticsConfig;
  const events = [...Array.from({ length: 24 }, (_, n) => order(n)).flat(), ...Array.from({ length: 9 }, (_, n) => refused(n))];

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await migratedDataSource(db.url, 'analytics', ANALYTICS_PERSISTENCE);
    config = loadConfig(AnalyticsConfig, { DATABASE_URL: db.url });
    txHost = standaloneTxHost(ds);
    projector = new FactsProjector(new FactsRepository(txHost, config), config);
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  /** Empty the read model, apply the events one transaction each (as the consumers do), and dump it. */
  async function project(list: EventEnvelope[]): Promise<Record<string, unknown[]>> {
    await ds.query(`TRUNCATE ${READ_MODEL_TABLES.join(', ')}`);
    for (const e of list) await txHost.withTransaction(() => projector.project(e));
    return dump();
  }

  /** The same through the replay's batch projector, `size` events per transaction (inbox emptied too). */
  async function projectInBatches(list: EventEnvelope[], size: number): Promise<Record<string, unknown[]>> {
    await ds.query(`TRUNCATE ${READ_MODEL_TABLES.join(', ')}, inbox`);
    const batches = new BatchProjector(txHost, config);
    for (let i = 0; i < list.length; i += size) await txHost.withTransaction(() => batches.apply(list.slice(i, i + size)));
    return dump();
  }

  async function dump(): Promise<Record<string, unknown[]>> {
    const dump: Record<string, unknown[]> = {};
    for (const t of READ_MODEL_TABLES) dump[t] = await ds.query(`SELECT * FROM ${t} r ORDER BY r::text`);
    return dump;
  }

  it('leaves the same read model in any arrival order', async () => {
    const inOrder = await project(events);
    expect(inOrder.ticket_fact).toHaveLength(24 + 9);
    const chengdong = inOrder.ticket_fact.filter((f) => (f as FactForRollup).district_code === '630102') as {
      street_code: string | null;
      community_code: string | null;
    }[];
    expect(chengdong).toHaveLength(6);
    // Moved without a street: none of them keeps a street or community of the district it left.
    for (const f of chengdong) {
      expect(f.street_code === null || f.street_code.startsWith('630102')).toBe(true);
      expect(f.community_code).toBeNull();
    }
    expect(inOrder.callback_fact.length).toBeGreaterThan(24);
    for (const seed of [1, 2]) {
      expect(await project(shuffled(events, random(seed)))).toEqual(inOrder);
    }
  });

  it('leaves the same read model through the replay batch projector, in any batch size and arrival order', async () => {
    const inOrder = await project(events);
    for (const size of [1, 7, 50, events.length]) expect(await projectInBatches(events, size)).toEqual(inOrder);
    for (const seed of [4, 5]) {
      const list = shuffled(events, random(seed));
      expect(await projectInBatches(list, 13)).toEqual(inOrder);
      // the same events again (a redelivery, or the live consumer got there first): nothing changes twice
      const batches = new BatchProjector(txHost, config);
      const again = await txHost.withTransaction(() => batches.apply(list.slice(0, 40)));
      expect(again).toEqual({ applied: 0, duplicates: 40 });
      expect(await dump()).toEqual(inOrder);
    }
  });

  it('runs a replay batch again when a live consumer creates one of its orders meanwhile, and applies nothing twice', async () => {
    const inOrder = await project(events);
    await ds.query(`TRUNCATE ${READ_MODEL_TABLES.join(', ')}, inbox`);
    const first = events.find((e) => effectOf(e).change)!;
    const batch = events.filter((e) => e !== first);
    // A live consumer applies `first` (an event of an order the batch creates, not in the batch:
    // inbox row and effect, a transaction of its own) just before the batch inserts its new
    // orders: the batch's view of that order is stale.
    let raced = false;
    const racing = {
      get tx() {
        const m = txHost.tx;
        return {
          query: async (sql: string, params?: unknown[]): Promise<unknown> => {
            if (!raced && sql.includes('INSERT INTO ticket_fact SELECT')) {
              raced = true;
              await txHost.withTransaction(Propagation.RequiresNew, async () => {
                await txHost.tx.query(`INSERT INTO inbox (consumer, event_id) VALUES ($1, $2)`, [
                  durableName('analytics', first.type),
                  first.id,
                ]);
                await projector.project(first);
              });
            }
            return m.query(sql, params);
          },
        };
      },
    } as unknown as TxHost;
    const batches = new BatchProjector(racing, config);
    await expect(txHost.withTransaction(() => batches.apply(batch))).rejects.toBeInstanceOf(BatchRaceError);
    expect(raced).toBe(true);
    // the replay runs the batch again: the order is read (locked) this time, with `first` applied
    expect(await txHost.withTransaction(() => batches.apply(batch))).toEqual({ applied: batch.length, duplicates: 0 });
    expect(await dump()).toEqual(inOrder);
    // every event has its inbox row: a live consumer delivered one of them after the replay skips it
    expect(await txHost.withTransaction(() => new BatchProjector(txHost, config).apply(events))).toEqual({
      applied: 0,
      duplicates: events.length,
    });
  });

  it('counts the contacts not accepted (不予受理) by reason, channel and place, and leaves the orders’ counts as they were', async () => {
    await project(shuffled(events, random(6)));
    const sums = async (dimension: string): Promise<[string, number, number, number][]> => {
      const rows: { dim_key: string; not_accepted: number; accepted: number; dispatched: number }[] = await ds.query(
        `SELECT dim_key, sum(not_accepted)::int AS not_accepted, sum(accepted)::int AS accepted, sum(dispatched)::int AS dispatched
           FROM rate_daily WHERE dimension = $1 GROUP BY dim_key ORDER BY dim_key`,
        [dimension],
      );
      return rows.map((r) => [r.dim_key, r.not_accepted, r.accepted, r.dispatched]);
    };
    expect(await sums('district')).toEqual([['', 9, 24, 24]]);
    // Only the refused contacts are in the reasons' dimension.
    expect(await sums('not_accepted_reason')).toEqual([
      ['concluded', 3, 0, 0],
      ['litigation', 3, 0, 0],
      ['petition', 3, 0, 0],
    ]);
    expect((await sums('channel')).map(([k, n]) => [k, n])).toEqual([
      ['mayor_mailbox', 5],
      ['phone_12345', 4],
      ['web', 0],
    ]);
    const byDistrict: { district_code: string; n: number }[] = await ds.query(
      `SELECT district_code, sum(not_accepted)::int AS n FROM rate_daily WHERE dimension = 'district' GROUP BY 1 HAVING sum(not_accepted) > 0 ORDER BY 1`,
    );
    expect(byDistrict).toEqual([
      { district_code: '630100', n: 2 },
      { district_code: '630104', n: 5 },
      { district_code: '630105', n: 2 },
    ]);
    // A refused contact's row: when and why, its place, never accepted, dispatched or on the wall.
    const rows: Record<string, unknown>[] = await ds.query(`SELECT * FROM ticket_fact WHERE not_accepted_at IS NOT NULL`);
    expect(rows).toHaveLength(9);
    for (const r of rows) {
      expect(r).toMatchObject({ accepted_at: null, dispatched_at: null, unit_id: null, wall_opt_out: null });
      expect(REASONS).toContain(r.not_accepted_reason);
    }
    expect(rows.filter((r) => r.street_code !== null)).toHaveLength(5);
  });

  it('keeps the daily rollup equal to the rollup of the final facts', async () => {
    const rnd = random(3);
    await project(shuffled(events, rnd));
    const facts: (FactForRollup & { ticket_id: string })[] = await ds.query(`SELECT * FROM ticket_fact`);
    const callbacks: (CallbackForRollup & { ticket_id: string })[] = await ds.query(`SELECT * FROM callback_fact`);
    const expected = new Map<string, Counts>();
    for (const f of facts) {
      const mine = callbacks.filter((c) => c.ticket_id === f.ticket_id);
      for (const [k, c] of contributions(f, mine, config.CITY_TIME_ZONE)) {
        const sum = expected.get(k) ?? (Object.fromEntries(MEASURES.map((x) => [x, 0])) as Counts);
        for (const x of MEASURES) sum[x] += c[x];
        expected.set(k, sum);
      }
    }
    const rows: (Counts & { day: string; district_code: string; dimension: string; dim_key: string })[] = await ds.query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, district_code, dimension, dim_key, ${MEASURES.join(', ')} FROM rate_daily`,
    );
    const actual = new Map(
      rows.map((r) => [
        `${r.day}|${r.district_code}|${r.dimension}|${r.dim_key}`,
        Object.fromEntries(MEASURES.map((x) => [x, r[x]])) as Counts,
      ]),
    );
    expect(rows.filter((r) => MEASURES.every((x) => r[x] === 0))).toEqual([]);
    expect(actual).toEqual(expected);
  });
});
