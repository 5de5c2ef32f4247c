/**
 * Malformed bus messages, property-based (fast-check): NUL bytes (raw and JSON-escaped), invalid
 * UTF-8, lone surrogates, oversized bodies, random bytes, wrong envelopes and wrong types, each
 * followed by a valid event. Every malformed one must be dead-lettered, byte for byte, with its
 * validation errors; none lost, none retried; every valid one applied once. Real Postgres and
 * NATS; the seed is printed in the test name (FUZZ_SEED to repeat a run).
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { Channel, EventEnvelope, RequestType, subjectFor, Urgency } from '@app/contracts';
import { durableName } from '@app/platform';
import { DeadLetterService } from '@app/platform/bus/dead-letter.service';
import { createTestDatabase, TEST_NATS_URL, testBus, waitFor } from '@app/platform/testing';
import { connect, NatsConnection } from 'nats';
import { Client } from 'pg';
import { migrateTestSchema, startTestApp, TEST_SERVICE, TestApp } from './fixtures/bus-test-app';

const SCHEMA = TEST_SERVICE;
const DISTRICT = '630104';
const TYPE = 'ticket.accepted.v1';
const DURABLE = durableName(TEST_SERVICE, TYPE);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const RUNS = 120;
const MAX_BYTES = 4096;

type Category =
  'nul-escaped' | 'nul-raw' | 'invalid-utf8' | 'lone-surrogate' | 'oversized' | 'random-bytes' | 'wrong-envelope' | 'wrong-type';

/** The reasons a category may be dead-lettered with. */
const EXPECTED: Record<Category, string[]> = {
  'nul-escaped': ['invalid_payload', 'invalid_envelope'],
  'nul-raw': ['malformed_json'],
  'invalid-utf8': ['invalid_encoding'],
  'lone-surrogate': ['invalid_payload', 'invalid_envelope'],
  oversized: ['oversized'],
  'random-bytes': ['malformed_json', 'invalid_encoding', 'invalid_envelope'],
  'wrong-envelope': ['malformed_json', 'invalid_envelope', 'unknown_type', 'invalid_payload'],
  'wrong-type': ['invalid_envelope', 'unknown_type', 'invalid_payload'],
};

interface Malformed {
  category: Category;
  body: Uint8Array;
}

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let pg: Client;
let nc: NatsConnection;
let app: TestApp | undefined;
const bus = testBus();

beforeAll(async () => {
  db = await createTestDatabase();
  expect(await migrateTestSchema(db.url, SCHEMA)).toEqual([]);
  pg = new Client({ connectionString: db.url });
  await pg.connect();
  nc = await connect({ servers: TEST_NATS_URL, name: 'bus-fuzz.int-spec' });
});

afterAll(async () => {
  await app?.close();
  await (await nc?.jetstreamManager())?.streams.delete(bus.BUS_STREAM).catch(() => undefined);
  await nc?.close();
  await pg?.end();
  await db?.drop();
});

function valid(): EventEnvelope<'ticket.accepted.v1'> {
  return {
    id: randomUUID(),
    type: TYPE,
    version: 1,
    occurredAt: new Date().toISOString(),
    district: DISTRICT,
    ticketId: randomUUID(),
    producer: TEST_SERVICE,
    data: {
      orderNo: '20260101-000001',
      channel: Channel.Phone,
      requestType: RequestType.Complaint,
      categoryCode: 'roads.pothole',
      urgency: Urgency.Ordinary,
      content: '路面坑洼',
      location: { address: '西宁市城西区胜利路 1 号', districtCode: DISTRICT },
      identityHidden: false,
      proactive: false,
      flags: [],
      acceptedAt: new Date().toISOString(),
    },
  };
}

const utf8 = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));
const STRING_FIELDS = ['content', 'orderNo', 'categoryCode'] as const;
const text = fc.string({ maxLength: 20 });

/** An otherwise valid envelope whose `data[field]` holds `value` spliced into its text. */
function withText(field: (typeof STRING_FIELDS)[number], value: string): EventEnvelope<'ticket.accepted.v1'> {
  const e = valid();
  (e.data as unknown as Record<string, string>)[field] = `${e.data[field]}${value}`;
  return e;
}

const malformed: fc.Arbitrary<Malformed> = fc.oneof(
  // A NUL escaped in JSON: valid JSON, a string Postgres cannot store.
  fc.tuple(fc.constantFrom(...STRING_FIELDS), text, text).map(([f, x, y]) => ({
    category: 'nul-escaped' as const,
    body: utf8(JSON.stringify(withText(f, `${x}\u0000${y}`))),
  })),
  // A raw NUL byte inside a JSON string: not JSON.
  fc.tuple(fc.constantFrom(...STRING_FIELDS), text).map(([f, x]) => {
    const json = JSON.stringify(withText(f, `${x}@@NUL@@`));
    return { category: 'nul-raw' as const, body: utf8(json.replace('@@NUL@@', '\u0000')) };
  }),
  // Invalid UTF-8 inside the content: a lone continuation byte, a truncated sequence, an encoded surrogate, 0xff.
  fc
    .tuple(fc.constantFrom([0x80], [0xc3, 0x28], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xff], [0xf8, 0x88, 0x80, 0x80, 0x80]), text)
    .map(([bad, x]) => {
      const json = Buffer.from(JSON.stringify(withText('content', `${x}@@BAD@@`)), 'utf8');
      const at = json.indexOf('@@BAD@@');
      return {
        category: 'invalid-utf8' as const,
        body: new Uint8Array(Buffer.concat([json.subarray(0, at), Buffer.from(bad), json.subarray(at + 7)])),
      };
    }),
  // A lone surrogate, JSON-escaped (JSON.stringify of a lone surrogate writes \udxxx).
  fc.tuple(fc.integer({ min: 0xd800, max: 0xdfff }), text).map(([cp, x]) => ({
    category: 'lone-surrogate' as const,
    body: utf8(JSON.stringify(withText('content', `${x}${String.fromCharCode(cp)}`))),
  })),
  // Bigger than BUS_MAX_EVENT_BYTES, otherwise valid.
  fc.integer({ min: MAX_BYTES + 1, max: MAX_BYTES * 4 }).map((n) => ({
    category: 'oversized' as const,
    body: utf8(JSON.stringify(withText('content', 'x'.repeat(n)))),
  })),
  fc.uint8Array({ maxLength: 300 }).map((b) => ({ category: 'random-bytes' as const, body: b })),
  // Anything JSON that is not an envelope: scalars, arrays, objects missing or adding fields, deep nesting.
  fc
    .oneof(
      fc.jsonValue(),
      fc.record({ id: fc.uuid(), type: fc.constant(TYPE), data: fc.object() }),
      fc.constant(JSON.parse(`${'['.repeat(1500)}${']'.repeat(1500)}`) as unknown),
      fc.constant({ ...valid(), extra: 1 }),
      fc.constantFrom('id', 'type', 'version', 'occurredAt', 'district', 'producer', 'data').map((k) => {
        const e = valid() as unknown as Record<string, unknown>;
        delete e[k];
        return e;
      }),
    )
    .map((v) => ({ category: 'wrong-envelope' as const, body: utf8(JSON.stringify(v) ?? 'undefined') })),
  // Right shape, wrong types: a field replaced by a value of another type.
  (
    fc.constantFrom(
      ['id', fc.oneof(fc.integer(), fc.constant('not-a-uuid'))],
      ['type', fc.oneof(fc.integer(), fc.constant('ticket.exploded.v1'))],
      ['version', fc.oneof(fc.string(), fc.constant(-1))],
      ['occurredAt', fc.oneof(fc.integer(), fc.constant('yesterday'))],
      ['district', fc.oneof(fc.integer(), fc.constant('63010x'))],
      ['producer', fc.oneof(fc.integer(), fc.array(fc.integer()))],
      ['data', fc.oneof(fc.integer(), fc.string(), fc.constant(null))],
      ['data.urgency', fc.oneof(fc.integer(), fc.constant('whenever'))],
      ['data.flags', fc.oneof(fc.string(), fc.integer())],
      ['data.location', fc.oneof(fc.string(), fc.integer())],
      ['data.identityHidden', fc.oneof(fc.string(), fc.integer())],
    ) as fc.Arbitrary<[string, fc.Arbitrary<unknown>]>
  )
    .chain(([path, value]) => value.map((v) => ({ path, v })))
    .map(({ path, v }) => {
      const e = valid() as unknown as Record<string, Record<string, unknown>>;
      const [head, tail] = path.split('.');
      if (tail) e[head][tail] = v;
      else (e as Record<string, unknown>)[head] = v;
      return { category: 'wrong-type' as const, body: utf8(JSON.stringify(e)) };
    }),
);

describe(`malformed bus messages (fast-check seed ${SEED})`, () => {
  it(`dead-letters every one of ${RUNS} malformed messages with its errors, and applies the valid one after each`, async () => {
    app = await startTestApp({
      DATABASE_URL: db.url,
      DB_POOL_SIZE: '4',
      NATS_URL: TEST_NATS_URL,
      BUS_SWEEP_MS: '200',
      BUS_ACK_WAIT_SECONDS: '5',
      BUS_BACKOFF_BASE_MS: '100',
      BUS_MAX_DELIVER: '3',
      BUS_MAX_EVENT_BYTES: String(MAX_BYTES),
      ...bus,
    });
    const js = nc.jetstream();
    const subject = subjectFor(bus.BUS_PREFIX, DISTRICT, TYPE);
    const cases = fc.sample(malformed, { numRuns: RUNS, seed: SEED });
    const sent = new Map<number, Malformed>();
    const validIds: string[] = [];
    for (const c of cases) {
      const ack = await js.publish(subject, c.body);
      sent.set(ack.seq, c);
      const e = valid();
      await js.publish(subject, JSON.stringify(e));
      validIds.push(e.id);
    }

    const dls = await waitFor(
      async () =>
        (
          await pg.query<{
            stream_seq: string;
            payload: Buffer;
            reason: string;
            errors: { field: string; reason: string }[];
            deliveries: number;
          }>(`SELECT stream_seq, payload, reason, errors, deliveries FROM "${SCHEMA}"."dead_letter" WHERE subject = $1`, [subject])
        ).rows,
      (r) => r.length >= RUNS,
      { timeoutMs: 60_000, what: `${RUNS} dead letters` },
    );
    const applied = await waitFor(
      async () =>
        (
          await pg.query<{ event_id: string; count: number }>(
            `SELECT event_id, count FROM "${SCHEMA}"."applied" WHERE event_id = ANY($1::uuid[])`,
            [validIds],
          )
        ).rows,
      (r) => r.length === validIds.length,
      { timeoutMs: 60_000, what: 'every valid event applied' },
    );
    expect(applied.filter((r) => r.count !== 1)).toEqual([]);

    expect(dls).toHaveLength(RUNS);
    const wrong: unknown[] = [];
    for (const dl of dls) {
      const c = sent.get(Number(dl.stream_seq));
      if (!c) {
        wrong.push({ unexpected: dl.stream_seq, reason: dl.reason });
        continue;
      }
      const problems = [
        !Buffer.from(c.body).equals(dl.payload) && 'payload differs from the bytes sent',
        !EXPECTED[c.category].includes(dl.reason) && `reason ${dl.reason}`,
        !(
          Array.isArray(dl.errors) &&
          dl.errors.length > 0 &&
          dl.errors.every((x) => typeof x.reason === 'string' && x.reason.length > 0)
        ) && 'no validation errors',
        dl.deliveries !== 1 && `delivered ${dl.deliveries} times`,
      ].filter(Boolean);
      if (problems.length)
        wrong.push({ category: c.category, body: Buffer.from(c.body).toString('base64').slice(0, 200), problems, errors: dl.errors });
    }
    expect(wrong).toEqual([]);

    // Settled: nothing pending, nothing retried, no counted failure.
    const ci = await waitFor(
      async () => (await nc.jetstreamManager()).consumers.info(bus.BUS_STREAM, DURABLE),
      (x) => x.num_pending === 0 && x.num_ack_pending === 0,
      { what: 'the durable settled' },
    );
    expect(ci.delivered.consumer_seq).toBe(RUNS * 2);
    expect((await pg.query(`SELECT 1 FROM "${SCHEMA}"."delivery_attempt"`)).rowCount).toBe(0);

    // Operators see the bytes (base64) and the text; replaying a still-malformed one is refused, and it stays open.
    const service = app.app.get(DeadLetterService);
    const listed = await service.list(false, 1000);
    const nul = listed.find((d) => d.subject === subject && d.reason === 'malformed_json' && d.payload.includes('\u0000'));
    if (nul) {
      expect(Buffer.from(nul.payloadBase64, 'base64').includes(0)).toBe(true);
      await expect(service.replay(nul.id)).rejects.toThrow();
      expect((await service.list(false, 1000)).some((d) => d.id === nul.id)).toBe(true);
    }
    const bad = listed.find((d) => d.subject === subject && d.reason === 'invalid_encoding');
    if (bad) {
      expect(bad.payloadIsUtf8).toBe(false);
      await expect(service.replay(bad.id)).rejects.toThrow(/UTF-8/);
    }
  }, 120_000);
});
