/**
 * The floor of the architecture (issue 17): what an order costs when it takes the same path as in
 * Jiesu — five processes, one Postgres, JetStream between them, a transactional outbox and an inbox
 * per consumer — but with none of the platform: no Nest, no TypeORM, no class-validator, no pino, no
 * metrics, no tracing, no auth, hand-written checks of each payload's fields, the fewest statements
 * each stage needs, and tables with nothing but their keys and one index. It answers one question:
 * how far below the pipeline bench's CPU per order can an implementation of this architecture go on
 * this machine, before anything of the product (classification, duplicates, encryption, routing
 * rules, working-day clocks, rollups, audit) is added back?
 *
 *   npm run bench:floor -- [--observe] [--orders 2000] [--concurrency 32] [--warmup 100] [--raw-seconds 10]
 *                          [--raw-rows N] [--seed X] [--pg-url postgres://…/postgres] [--nats-url nats://…]
 *   (the pipeline bench's options, parsed and checked as it does it: loopback only; those about its
 *   services mean nothing here)
 *
 * The path, per order (as the pipeline bench's default mix, bus-wise):
 *   intake     POST /tickets (node:http, JSON, field checks) → one statement writing the ticket and its
 *              outbox row (atomic without BEGIN/COMMIT) → 201; its relay publishes `ticket.accepted`
 *              (every publish of a pass in flight at once, msgID dedupe, marked sent in one UPDATE)
 *   dispatch   accepted → work order + outbox `ticket.dispatched`; clocks-set → due times on the work order
 *   sla        dispatched → two clocks + outbox `sla.clocks-set`
 *   analytics  accepted, dispatched, clocks-set → the order's fact row (upsert) and the day's counts
 *   callback   accepted → the order's callback row
 *   intake     dispatched → the order's progress
 * 8 deliveries and 3 publishes per order; every consumer applies what has arrived as one batch in one
 * transaction (inbox rows in one statement, the handler's rows in one statement, outbox rows in one
 * statement), acks after COMMIT. Left out beside the platform: dead letters (a refused payload fails
 * its batch), early-event retries, the bus's circuit breaker and every read model's other columns.
 * CPU is read from /proc for the five processes, Postgres and NATS, as in the pipeline bench; the
 * ratio is to raw single-row inserts in the same run. `--observe` also watches the run as the
 * pipeline bench does (its own subscription to every event, the consumers listed each second,
 * pg_stat_activity every 250 ms), which shows what the pipeline bench's watching costs.
 */
import { spawn, ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { AckPolicy, connect, JetStreamClient, JsMsg, NatsConnection, StorageType } from 'nats';
import { Client, Pool, PoolClient } from 'pg';
// Type-only here: the stages (child processes) load nothing but pg and nats; the bench's helpers
// (the order factory imports the demo seed and TypeORM) are loaded by main() alone.
import type { OrderBody } from './lib/orders';

type Role = 'intake' | 'dispatch' | 'sla' | 'analytics' | 'callback';
const ROLES: Role[] = ['intake', 'dispatch', 'sla', 'callback', 'analytics'];

// ---------------------------------------------------------------------------------------------
// The stages (each a child process: `--role <name>`)
// ---------------------------------------------------------------------------------------------

interface Envelope {
  id: string;
  type: string;
  ticketId: string;
  district: string;
  occurredAt: string;
  data: Record<string, unknown>;
}

const SUBJECTS = { accepted: 'ticket.accepted', dispatched: 'ticket.dispatched', clocks: 'sla.clocks-set' } as const;
type Kind = keyof typeof SUBJECTS;

/** The checks a compiled validator would make, by hand: a refused payload is an error, not a guess. */
function parseEnvelope(kind: Kind, bytes: Uint8Array): Envelope {
  const e = JSON.parse(Buffer.from(bytes).toString('utf8')) as Envelope;
  const ok =
    typeof e.id === 'string' &&
    e.type === SUBJECTS[kind] &&
    typeof e.ticketId === 'string' &&
    typeof e.district === 'string' &&
    typeof e.occurredAt === 'string' &&
    typeof e.data === 'object' &&
    e.data !== null;
  const d = e.data;
  const dataOk =
    kind === 'accepted'
      ? typeof d.orderNo === 'string' && typeof d.content === 'string'
      : kind === 'dispatched'
        ? typeof d.unitId === 'string'
        : typeof d.respondDueAt === 'string' && typeof d.resolveDueAt === 'string';
  if (!ok || !dataOk) throw new Error(`invalid ${kind} payload`);
  return e;
}

class Relay {
  private running?: Promise<void>;
  private again = false;

  constructor(
    private readonly pool: Pool,
    private readonly js: JetStreamClient,
    private readonly schema: string,
  ) {
    setInterval(() => this.wake(), 1000).unref();
  }

  wake(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.pass().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    });
  }

  private async pass(): Promise<void> {
    for (;;) {
      const c = await this.pool.connect();
      let n = 0;
      try {
        await c.query('BEGIN');
        const rows = (
          await c.query<{ id: string; subject: string; envelope: string }>({
            name: 'relay-claim',
            text: `SELECT id, subject, envelope FROM ${this.schema}.outbox WHERE published_at IS NULL ORDER BY seq LIMIT 200 FOR UPDATE SKIP LOCKED`,
          })
        ).rows;
        n = rows.length;
        if (n) {
          await Promise.all(rows.map((r) => this.js.publish(r.subject, r.envelope, { msgID: r.id })));
          await c.query({
            name: 'relay-sent',
            text: `UPDATE ${this.schema}.outbox SET published_at = now() WHERE id = ANY($1::uuid[])`,
            values: [rows.map((r) => r.id)],
          });
        }
        await c.query('COMMIT');
      } catch (e) {
        await c.query('ROLLBACK').catch(() => undefined);
        console.error(`relay ${this.schema}: ${(e as Error).message}`);
      } finally {
        c.release();
      }
      if (n < 200) return;
    }
  }
}

/** A stage's handler: the batch's new events (never none) → the events to publish. */
type Handler = (c: PoolClient, events: Envelope[]) => Promise<Envelope[]>;

/** What a stage's consumers share: its connections, its name, its relay (the stages that publish). */
interface Stage {
  nc: NatsConnection;
  env: StageEnv;
  pool: Pool;
  service: Role;
  relay?: Relay;
}

/** A durable pull consumer whose arrivals are applied in batches, one transaction each. */
async function consume({ nc, env, pool, service, relay }: Stage, kind: Kind, handle: Handler): Promise<void> {
  const jsm = await nc.jetstreamManager();
  const durable = `${service}_${kind}`;
  await jsm.consumers.add(env.stream, {
    durable_name: durable,
    ack_policy: AckPolicy.Explicit,
    filter_subject: `${env.prefix}.${SUBJECTS[kind]}`,
    max_ack_pending: 1024,
  });
  const consumer = await nc.jetstream().consumers.get(env.stream, durable);
  const messages = await consumer.consume({ max_messages: 256 });
  const queue: JsMsg[] = [];
  let workers = 0;
  const work = async () => {
    workers++;
    try {
      while (queue.length) {
        const batch = queue.splice(0, 64);
        const c = await pool.connect();
        try {
          await c.query('BEGIN');
          const events = batch.map((m) => parseEnvelope(kind, m.data));
          const fresh = new Set(
            (
              await c.query<{ event_id: string }>({
                name: 'inbox',
                text: `INSERT INTO f_${service}.inbox (consumer, event_id) SELECT $1, id FROM unnest($2::uuid[]) AS id ORDER BY id
                       ON CONFLICT DO NOTHING RETURNING event_id`,
                values: [durable, events.map((e) => e.id)],
              })
            ).rows.map((r) => r.event_id),
          );
          const news = events.filter((e) => fresh.has(e.id));
          const out = news.length ? await handle(c, news) : [];
          if (out.length) {
            await c.query({
              name: 'outbox',
              text: `INSERT INTO f_${service}.outbox (id, subject, envelope)
                     SELECT id, subject, envelope FROM unnest($1::uuid[], $2::text[], $3::text[]) AS r(id, subject, envelope)`,
              values: [out.map((e) => e.id), out.map((e) => `${env.prefix}.${e.type}`), out.map((e) => JSON.stringify(e))],
            });
          }
          await c.query('COMMIT');
          for (const m of batch) m.ack();
          if (out.length) relay!.wake();
        } catch (e) {
          await c.query('ROLLBACK').catch(() => undefined);
          console.error(`${durable}: ${(e as Error).message}`);
          for (const m of batch) m.nak(1000);
        } finally {
          c.release();
        }
      }
    } finally {
      workers--;
    }
  };
  void (async () => {
    for await (const m of messages) {
      queue.push(m);
      if (workers < 2) setImmediate(() => void (workers < 2 && queue.length ? work() : undefined));
    }
  })();
}

const envelope = (type: string, t: { ticketId: string; district: string }, data: Record<string, unknown>): Envelope => ({
  id: randomUUID(),
  type,
  ticketId: t.ticketId,
  district: t.district,
  occurredAt: new Date().toISOString(),
  data,
});

interface StageEnv {
  dbUrl: string;
  natsUrl: string;
  prefix: string;
  stream: string;
  port: number;
}

async function stage(role: Role): Promise<void> {
  const env: StageEnv = JSON.parse(process.env.FLOOR_ENV!) as StageEnv;
  const pool = new Pool({ connectionString: env.dbUrl, max: 10 });
  const nc = await connect({ servers: env.natsUrl });
  const js = nc.jetstream();
  const relay = role === 'intake' || role === 'dispatch' || role === 'sla' ? new Relay(pool, js, `f_${role}`) : undefined;
  const self: Stage = { nc, env, pool, service: role, relay };

  if (role === 'intake') {
    let seq = 0;
    const tag = process.pid.toString(36);
    await consume(self, 'dispatched', async (c, events) => {
      await c.query({
        name: 'progress',
        text: `UPDATE f_intake.ticket t SET progress = 'dispatched', unit_id = v.unit FROM unnest($1::uuid[], $2::text[]) AS v(id, unit) WHERE t.id = v.id`,
        values: [events.map((e) => e.ticketId), events.map((e) => e.data.unitId as string)],
      });
      return [];
    });
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (b: Buffer) => chunks.push(b));
      req.on('end', () => {
        void (async () => {
          let body: OrderBody;
          try {
            body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as OrderBody;
          } catch {
            res.writeHead(400).end('{"message":"body is not JSON"}');
            return;
          }
          const problems: string[] = [];
          if (typeof body.content !== 'string' || body.content.length < 1 || body.content.length > 2000) problems.push('content');
          if (typeof body.channel !== 'string') problems.push('channel');
          if (typeof body.location?.districtCode !== 'string' || !/^\d{6}$/.test(body.location.districtCode))
            problems.push('location.districtCode');
          if (problems.length) {
            res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ fields: problems }));
            return;
          }
          const id = randomUUID();
          const now = new Date();
          const orderNo = `${tag}-${++seq}`;
          const accepted = envelope(
            SUBJECTS.accepted,
            { ticketId: id, district: body.location.districtCode },
            {
              orderNo,
              channel: body.channel,
              categoryCode: body.categoryCode,
              content: body.content,
              location: body.location,
              acceptedAt: now.toISOString(),
            },
          );
          try {
            // The ticket and its outbox row in one statement: atomic without BEGIN and COMMIT.
            await pool.query({
              name: 'ticket',
              text: `WITH t AS (
                       INSERT INTO f_intake.ticket (id, order_no, district_code, content, body, accepted_at)
                       VALUES ($1, $2, $3, $4, $5::jsonb, $6) RETURNING id)
                     INSERT INTO f_intake.outbox (id, subject, envelope) SELECT $7, $8, $9 FROM t`,
              values: [
                id,
                orderNo,
                body.location.districtCode,
                body.content,
                JSON.stringify(body),
                now,
                accepted.id,
                `${env.prefix}.${accepted.type}`,
                JSON.stringify(accepted),
              ],
            });
          } catch (e) {
            res.writeHead(503).end(JSON.stringify({ message: (e as Error).message }));
            return;
          }
          res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id, orderNo, acceptedAt: now.toISOString() }));
          relay!.wake();
        })();
      });
    });
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => server.listen(env.port, '127.0.0.1', resolve));
  }

  if (role === 'dispatch') {
    const unitOf = (district: string) => `unit-${district}`;
    await consume(self, 'accepted', async (c, events) => {
      const now = new Date().toISOString();
      await c.query({
        name: 'work-order',
        text: `INSERT INTO f_dispatch.work_order (ticket_id, order_no, district_code, unit_id, dispatched_at)
                 SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[]) ON CONFLICT DO NOTHING`,
        values: [
          events.map((e) => e.ticketId),
          events.map((e) => e.data.orderNo as string),
          events.map((e) => e.district),
          events.map((e) => unitOf(e.district)),
          events.map(() => now),
        ],
      });
      return events.map((e) => envelope(SUBJECTS.dispatched, e, { unitId: unitOf(e.district), dispatchedAt: now }));
    });
    await consume(self, 'clocks', async (c, events) => {
      await c.query({
        name: 'due',
        text: `UPDATE f_dispatch.work_order w SET respond_due_at = v.r, resolve_due_at = v.s
                 FROM unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[]) AS v(id, r, s) WHERE w.ticket_id = v.id`,
        values: [
          events.map((e) => e.ticketId),
          events.map((e) => e.data.respondDueAt as string),
          events.map((e) => e.data.resolveDueAt as string),
        ],
      });
      return [];
    });
  }

  if (role === 'sla') {
    await consume(self, 'dispatched', async (c, events) => {
      const at = Date.now();
      const respond = new Date(at + 2 * 3600_000).toISOString();
      const resolve = new Date(at + 5 * 86_400_000).toISOString();
      await c.query({
        name: 'clocks',
        text: `INSERT INTO f_sla.clock (id, ticket_id, kind, unit_id, due_at)
                 SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::timestamptz[])`,
        values: [
          events.flatMap(() => [randomUUID(), randomUUID()]),
          events.flatMap((e) => [e.ticketId, e.ticketId]),
          events.flatMap(() => ['respond', 'resolve']),
          events.flatMap((e) => [e.data.unitId as string, e.data.unitId as string]),
          events.flatMap(() => [respond, resolve]),
        ],
      });
      return events.map((e) => envelope(SUBJECTS.clocks, e, { respondDueAt: respond, resolveDueAt: resolve }));
    });
  }

  if (role === 'analytics') {
    // Each event the fact row's column (upserted) and the day's count of its kind.
    const columns: [Kind, string, (e: Envelope) => string][] = [
      ['accepted', 'accepted_at', (e) => e.occurredAt],
      ['dispatched', 'dispatched_at', (e) => e.occurredAt],
      ['clocks', 'resolve_due_at', (e) => e.data.resolveDueAt as string],
    ];
    for (const [kind, column, at] of columns) {
      await consume(self, kind, async (c, events) => {
        await c.query({
          name: `fact-${kind}`,
          text: `INSERT INTO f_analytics.fact AS f (ticket_id, district_code, ${column})
                 SELECT * FROM unnest($1::uuid[], $2::text[], $3::timestamptz[]) ORDER BY 1
                 ON CONFLICT (ticket_id) DO UPDATE SET ${column} = excluded.${column}`,
          values: [events.map((e) => e.ticketId), events.map((e) => e.district), events.map(at)],
        });
        await c.query({
          name: `daily-${kind}`,
          text: `INSERT INTO f_analytics.event_daily AS d (day, district_code, type, count)
                 SELECT (at AT TIME ZONE 'Asia/Shanghai')::date, district, $3, count(*) FROM unnest($1::timestamptz[], $2::text[]) AS v(at, district)
                 GROUP BY 1, 2 ORDER BY 1, 2 ON CONFLICT (day, district_code, type) DO UPDATE SET count = d.count + excluded.count`,
          values: [events.map((e) => e.occurredAt), events.map((e) => e.district), kind],
        });
        return [];
      });
    }
  }

  if (role === 'callback') {
    await consume(self, 'accepted', async (c, events) => {
      await c.query({
        name: 'callback',
        text: `INSERT INTO f_callback.callback_ticket (ticket_id, district_code, order_no, accepted_at)
                 SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[]) ON CONFLICT DO NOTHING`,
        values: [
          events.map((e) => e.ticketId),
          events.map((e) => e.district),
          events.map((e) => e.data.orderNo as string),
          events.map((e) => e.occurredAt),
        ],
      });
      return [];
    });
  }
  process.stdout.write('ready\n');
}

// ---------------------------------------------------------------------------------------------
// The bench
// ---------------------------------------------------------------------------------------------

const SCHEMA = `
CREATE SCHEMA f_intake; CREATE SCHEMA f_dispatch; CREATE SCHEMA f_sla; CREATE SCHEMA f_analytics; CREATE SCHEMA f_callback;
CREATE TABLE f_intake.ticket (id uuid PRIMARY KEY, order_no text NOT NULL UNIQUE, district_code text NOT NULL, content text NOT NULL,
  body jsonb NOT NULL, accepted_at timestamptz NOT NULL, progress text NOT NULL DEFAULT 'accepted', unit_id text);
CREATE INDEX ON f_intake.ticket (district_code, accepted_at);
CREATE TABLE f_dispatch.work_order (ticket_id uuid PRIMARY KEY, order_no text NOT NULL, district_code text NOT NULL, unit_id text NOT NULL,
  dispatched_at timestamptz NOT NULL, respond_due_at timestamptz, resolve_due_at timestamptz);
CREATE INDEX ON f_dispatch.work_order (unit_id, dispatched_at);
CREATE TABLE f_sla.clock (id uuid PRIMARY KEY, ticket_id uuid NOT NULL, kind text NOT NULL, unit_id text NOT NULL, due_at timestamptz NOT NULL);
CREATE INDEX ON f_sla.clock (due_at);
CREATE TABLE f_analytics.fact (ticket_id uuid PRIMARY KEY, district_code text NOT NULL, accepted_at timestamptz, dispatched_at timestamptz,
  resolve_due_at timestamptz);
CREATE INDEX ON f_analytics.fact (district_code, accepted_at);
CREATE TABLE f_analytics.event_daily (day date, district_code text, type text, count int NOT NULL, PRIMARY KEY (day, district_code, type));
CREATE TABLE f_callback.callback_ticket (ticket_id uuid PRIMARY KEY, district_code text NOT NULL, order_no text NOT NULL, accepted_at timestamptz NOT NULL);
CREATE INDEX ON f_callback.callback_ticket (district_code, accepted_at);
`;

function schemaSql(): string {
  let sql = SCHEMA;
  for (const r of ROLES) {
    sql += `CREATE TABLE f_${r}.inbox (consumer text, event_id uuid, at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (consumer, event_id));\n`;
    if (r === 'intake' || r === 'dispatch' || r === 'sla')
      sql += `CREATE TABLE f_${r}.outbox (seq bigserial PRIMARY KEY, id uuid NOT NULL UNIQUE, subject text NOT NULL, envelope text NOT NULL, published_at timestamptz);
              CREATE INDEX ON f_${r}.outbox (seq) WHERE published_at IS NULL;\n`;
  }
  return sql;
}

const log = (s: string) => console.log(`[floor ${new Date().toISOString().slice(11, 19)}] ${s}`);

async function main(): Promise<void> {
  const { runLoad } = await import('./lib/load');
  const { cpuBetween, cpuSnapshot } = await import('./lib/machine');
  const { OrderFactory } = await import('./lib/orders');
  const { rawInsertBench } = await import('./lib/raw-insert');
  const { round, table } = await import('./lib/stats');
  const { PgActivitySampler } = await import('./lib/pg-activity');
  const { freePort, sleep } = await import('./lib/services');
  const { parseOptions } = await import('./lib/options');
  // --observe: watch the run as the pipeline bench does (every event on a subscription of its own,
  // the consumers listed each second, pg_stat_activity every 250 ms), to see what watching costs.
  const observe = process.argv.includes('--observe') || process.env.BENCH_OBSERVE === '1';
  // The pipeline bench's options and their checks (loopback only); those about its services do nothing here.
  const opts = parseOptions(
    process.argv.slice(2).filter((a) => a !== '--observe'),
    process.env,
  );
  const { orders, warmup, concurrency, rawSeconds, rawRows, seed, pgAdminUrl: adminUrl, natsUrl } = opts;
  const id = randomBytes(4).toString('hex');
  const dbName = `jiesu_floor_${id}`;
  const dbUrl = Object.assign(new URL(adminUrl), { pathname: `/${dbName}` }).toString();
  const prefix = `floor${id}`;
  const stream = `FLOOR_${id.toUpperCase()}`;

  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const nc = await connect({ servers: natsUrl });
  const jsm = await nc.jetstreamManager();
  const children: ChildProcess[] = [];
  try {
    const db = new Client({ connectionString: dbUrl });
    await db.connect();
    await db.query(schemaSql());
    await jsm.streams.add({ name: stream, subjects: [`${prefix}.>`], storage: StorageType.File });
    const pg = (await db.query<{ server_version: string }>('SHOW server_version')).rows[0].server_version;
    log(
      `machine: ${cpus().length} cores (${cpus()[0].model}), node ${process.version}, PostgreSQL ${pg}; database ${dbName}, stream ${stream}`,
    );

    log(`raw inserts before: ${rawSeconds} s, ${concurrency} clients`);
    const rawBefore = await rawInsertBench(dbUrl, concurrency, rawSeconds, rawRows, seed);

    const port = await freePort();
    const env: StageEnv = { dbUrl, natsUrl, prefix, stream, port };
    const pids: Record<string, number | undefined> = {};
    for (const role of ROLES) {
      const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', __filename, '--role', role], {
        env: { ...process.env, FLOOR_ENV: JSON.stringify(env), TS_NODE_TRANSPILE_ONLY: 'true' },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      children.push(child);
      pids[role] = child.pid;
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (b: Buffer) => (b.toString().includes('ready') ? resolve() : undefined));
        child.on('exit', (code) => reject(new Error(`${role} exited with ${code}`)));
      });
    }
    log('five stages ready');

    const factory = new OrderFactory(seed);
    const bodies = Array.from({ length: orders + warmup }, () => factory.next());
    const done = async (n: number) => {
      for (;;) {
        const r = (
          await db.query<{ w: number; f: number; c: number; t: number }>(
            `SELECT (SELECT count(*) FROM f_dispatch.work_order WHERE resolve_due_at IS NOT NULL)::int AS w,
                    (SELECT count(*) FROM f_analytics.fact WHERE accepted_at IS NOT NULL AND dispatched_at IS NOT NULL AND resolve_due_at IS NOT NULL)::int AS f,
                    (SELECT count(*) FROM f_callback.callback_ticket)::int AS c,
                    (SELECT count(*) FROM f_intake.ticket WHERE progress = 'dispatched')::int AS t`,
          )
        ).rows[0];
        if (r.w >= n && r.f >= n && r.c >= n && r.t >= n) return;
        await sleep(100);
      }
    };
    const load = (from: number, count: number) =>
      runLoad({
        port,
        token: 'none',
        count,
        concurrency,
        next: (i) => bodies[from + i],
        deadline: performance.now() + 600_000,
        timeoutMs: 30_000,
      });
    await load(0, warmup);
    await done(warmup);
    log(`warm-up: ${warmup} orders through every stage; load: ${orders} orders, ${concurrency} in flight`);

    let sightings = 0;
    const sub = observe
      ? nc.subscribe(`${prefix}.>`, {
          callback: (err, m) => {
            if (!err && (JSON.parse(m.string()) as Envelope).ticketId) sightings++;
          },
        })
      : undefined;
    const sampler = observe
      ? setInterval(
          () =>
            void jsm.consumers
              .list(stream)
              .next()
              .catch(() => undefined),
          1000,
        )
      : undefined;
    const activity = observe ? new PgActivitySampler(dbUrl, dbName) : undefined;
    await activity?.start();

    const a = cpuSnapshot(pids);
    const t0 = performance.now();
    const result = await load(warmup, orders);
    const posted = performance.now();
    await done(warmup + orders);
    const b = cpuSnapshot(pids);
    clearInterval(sampler);
    await activity?.stop();
    sub?.unsubscribe();
    const wall = (performance.now() - t0) / 1000;
    const failed = result.records.filter((r) => r.status !== 201);
    const usage = cpuBetween(a, b, cpus().length);

    log(`raw inserts after: ${rawSeconds} s, ${concurrency} clients`);
    const rawAfter = await rawInsertBench(dbUrl, concurrency, rawSeconds, rawRows, seed);
    const rate = orders / wall;
    const raw = (rawBefore.rowsPerSecond + rawAfter.rowsPerSecond) / 2;
    const perOrder = (k: string) => (usage.cores[k] * wall * 1000) / orders;
    const keys = [...ROLES, 'postgres', 'nats', 'bench'];
    const total = keys.reduce((s, k) => s + perOrder(k), 0);

    console.log(`\nJiesu floor bench — ${new Date().toISOString()}`);
    console.log(
      `${orders} orders (+${warmup} warm-up), ${concurrency} in flight; ${failed.length} POSTs failed${failed[0] ? ` (${failed[0].error})` : ''}`,
    );
    if (observe) console.log(`observed as the pipeline bench does: ${sightings} events seen on the bus`);
    console.log(`POSTs done in ${round((posted - t0) / 1000, 1)} s; every stage done after ${round(wall, 1)} s`);
    console.log(
      `end to end: ${round(rate, 1)} orders/s; raw inserts ${Math.round(rawBefore.rowsPerSecond)} / ${Math.round(rawAfter.rowsPerSecond)} rows/s`,
    );
    console.log(`RATIO  floor ÷ raw insert = ${round(rate, 1)} ÷ ${Math.round(raw)} = ${(rate / raw).toFixed(3)}`);
    console.log(`machine busy ${usage.machineBusyPct} %, other ${usage.otherCores} cores, steal ${usage.stealPct} %\n`);
    console.log(table(['CPU ms per order', ...keys, 'total'], [['', ...keys.map((k) => perOrder(k).toFixed(2)), total.toFixed(2)]]));
    await db.end();
  } finally {
    for (const c of children) c.kill('SIGKILL');
    await jsm.streams.delete(stream).catch(() => undefined);
    await nc.close();
    await sleep(300);
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  }
}

const roleIndex = process.argv.indexOf('--role');
if (roleIndex >= 0) {
  stage(process.argv[roleIndex + 1] as Role).catch((e) => {
    console.error(e);
    process.exit(1);
  });
} else {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
