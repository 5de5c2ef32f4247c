/**
 * The SLA tick at scale: 1,000,000 running clocks in a scratch database, then the cost of a tick
 * that fires 1,000 of them (warnings; breaches with their first escalation step and supervision
 * item) and of a tick that fires none, several times each; and the plan of the claim query.
 *
 *   npm run bench:sla            (BENCH_SLA_CLOCKS=1000000 BENCH_SLA_DUE=1000 BENCH_SLA_REPS=5)
 *   BENCH_SLA_EDIT=1 npm run bench:sla   (the calendar edit instead; BENCH_SLA_CLOCKS defaults to 20000)
 *
 * The calendar edit: the running clocks are first recomputed once through the real code (so their
 * due times and windows are what the service computes), then one day BENCH_SLA_EDIT_AHEAD days ahead
 * (default 16) is made a holiday through CalendarAdminService.setDays, which recomputes only the
 * clocks whose window touches it. "Before" is the same recompute over every running clock, which is
 * what the edit visited before windows were stored (the old selection, due_at >= day − 60 days and
 * started_at < day + 1, takes in every running clock for a day in the next weeks).
 *
 * The clocks are loaded with one set-based INSERT … SELECT generate_series. The sla service runs
 * in this process (its real module, ClockTickService.tick) on its own NATS stream; the database and
 * the stream are dropped at the end.
 */
import 'reflect-metadata';
import { loadConfig } from '@app/platform';
import { NestFactory } from '@nestjs/core';
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { connect } from 'nats';
import { Client } from 'pg';
import { CalendarAdminService } from '../apps/sla/src/calendar/calendar-admin.service';
import { CalendarService } from '../apps/sla/src/calendar/calendar.service';
import { ClocksRepository } from '../apps/sla/src/clocks/clocks.repository';
import { ClockRecomputeService } from '../apps/sla/src/clocks/clock-recompute.service';
import { ClockTickService } from '../apps/sla/src/clocks/clock-tick.service';
import { SlaConfig } from '../apps/sla/src/sla.config';
import { SlaModule } from '../apps/sla/src/sla.module';
import { migrateAll } from '../scripts/migrate';
import { ms, round, summarise } from './lib/stats';

const BASE = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const EDIT = process.env.BENCH_SLA_EDIT === '1';
const EDIT_AHEAD = Number(process.env.BENCH_SLA_EDIT_AHEAD ?? 16);
const CLOCKS = Number(process.env.BENCH_SLA_CLOCKS ?? (EDIT ? 20_000 : 1_000_000));
const DUE = Number(process.env.BENCH_SLA_DUE ?? 1_000);
const REPS = Number(process.env.BENCH_SLA_REPS ?? 5);
const POLICY = '6b0f2a8e-0d3c-4c1e-9a51-000000000001'; // default: 24 h / 5 working days
// A fixed "now" on a working day the calendar knows, so every run computes the same schedules.
const NOW = new Date('2026-06-10T10:00:00+08:00');
const HOUR = 3_600_000;

/** A deterministic, valid v4-shaped uuid from a seed: the payload validators insist on version and variant. */
const uuidOf = (seed: string) => `overlay(overlay(md5(${seed}) placing '4' from 13) placing '8' from 17)::uuid`;

function urlFor(db: string): string {
  const u = new URL(BASE);
  u.pathname = `/${db}`;
  return u.toString();
}

const CLAIM_SQL = `SELECT c.* FROM sla.sla_clock c
  WHERE c.next_fire_at IS NOT NULL AND c.next_fire_at <= $1
  ORDER BY c.next_fire_at ASC LIMIT 500 FOR UPDATE SKIP LOCKED`;

async function main(): Promise<void> {
  const db = `jiesu_bench_sla_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: BASE });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${db}"`);
  const url = urlFor(db);
  const prefix = `bs${randomBytes(3).toString('hex')}`;
  const stream = prefix.toUpperCase();
  const pg = new Client({ connectionString: url });
  let app: Awaited<ReturnType<typeof NestFactory.createApplicationContext>> | undefined;
  try {
    await migrateAll(url, ['sla'], () => undefined);
    await pg.connect();

    // ── load ────────────────────────────────────────────────────────────────────────────────
    let t = performance.now();
    // Every clock is running and will fire some time in the next 30 days (so all sit in the
    // partial index): the tick must find the due ones without reading the rest.
    await pg.query(
      EDIT
        ? // started evenly over the last 10 days (the edit mode recomputes them through the real code first)
          `INSERT INTO sla.sla_clock (id, ticket_id, district_code, unit_id, kind, cycle, policy_id,
                                  started_at, unit_assigned_at, due_at, warn_at, next_fire_at, window_end)
           SELECT ${uuidOf("'c' || g")}, ${uuidOf("'t' || g")}, '630104', ${uuidOf("'u' || (g % 500)")}, 'finish', 1, $2,
                  $1::timestamptz - interval '1 minute' * (g * 14400 / $3), $1::timestamptz - interval '1 minute' * (g * 14400 / $3),
                  $1::timestamptz, $1::timestamptz, $1::timestamptz + interval '1 day', $1::timestamptz + interval '90 days'
             FROM generate_series(1, $3::int) g`
        : `INSERT INTO sla.sla_clock (id, ticket_id, district_code, unit_id, kind, cycle, policy_id,
                                  started_at, unit_assigned_at, due_at, warn_at, next_fire_at, window_end)
       SELECT ${uuidOf("'c' || g")}, ${uuidOf("'t' || g")}, '630104', ${uuidOf("'u' || (g % 500)")}, 'finish', 1, $2,
              $1::timestamptz - interval '1 day', $1::timestamptz - interval '1 day',
              $1::timestamptz + interval '1 hour' * (1 + g % 720) + interval '1 day',
              $1::timestamptz + interval '1 hour' * (1 + g % 720),
              $1::timestamptz + interval '1 hour' * (1 + g % 720),
              $1::timestamptz + interval '1 hour' * (1 + g % 720) + interval '8 days'
         FROM generate_series(1, $3::int) g`,
      [NOW, POLICY, CLOCKS],
    );
    const loadMs = performance.now() - t;
    t = performance.now();
    await pg.query('VACUUM ANALYZE sla.sla_clock');
    const vacuumMs = performance.now() - t;
    const size = await pg.query<{ table: string; idx: string }>(
      `SELECT pg_size_pretty(pg_relation_size('sla.sla_clock')) AS table,
              pg_size_pretty(pg_relation_size('sla.idx_sla_clock_next_fire')) AS idx`,
    );
    console.log(
      `loaded ${CLOCKS.toLocaleString()} clocks in ${ms(loadMs)} (+ VACUUM ANALYZE ${ms(vacuumMs)}); table ${size.rows[0].table}, next-fire index ${size.rows[0].idx}`,
    );

    // ── the service ─────────────────────────────────────────────────────────────────────────
    const config = loadConfig(SlaConfig, {
      DATABASE_URL: url,
      NATS_URL,
      BUS_PREFIX: prefix,
      BUS_STREAM: stream,
      SLA_TICK_MS: '0',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'test',
      AUTH_DEV_TOKENS: 'true',
    });
    app = await NestFactory.createApplicationContext(SlaModule.forRoot(config), { logger: ['error', 'warn'] });
    const clocks = app.get(ClockTickService);
    if (EDIT) {
      await calendarEdit(app, pg);
      return;
    }
    const tick = async (): Promise<{ ms: number; fired: number }> => {
      const s = performance.now();
      const r = await clocks.tick(NOW);
      return { ms: performance.now() - s, fired: r.warnings + r.breaches };
    };

    /** Make clocks [from, from + DUE) due at NOW: for a warning, or for the breach (+ escalation 1 + item). */
    let next = 1;
    const arm = async (kind: 'warning' | 'breach'): Promise<void> => {
      const from = next;
      next += DUE;
      const [started, due, fired] =
        kind === 'warning'
          ? [new Date(NOW.getTime() - 96 * HOUR), new Date(NOW.getTime() + 24 * HOUR), '{}']
          : [new Date(NOW.getTime() - 200 * HOUR), new Date(NOW.getTime() - 60_000), '{warn:elapsed_75pct}'];
      await pg.query(
        `UPDATE sla.sla_clock SET started_at = $3, due_at = $4, warn_at = $4, fired = $5::text[],
                next_fire_at = $6::timestamptz - interval '1 minute'
          WHERE id IN (SELECT ${uuidOf("'c' || g")} FROM generate_series($1::int, $2::int) g)`,
        [from, from + DUE - 1, started, due, fired, NOW],
      );
    };

    const results: Record<string, number[]> = { none: [], warnings: [], breaches: [] };
    await tick(); // warm-up: policy cache, connections, JIT
    for (let i = 0; i < REPS; i++) {
      for (const kind of ['warning', 'breach'] as const) {
        await arm(kind);
        const r = await tick();
        if (r.fired !== DUE) throw new Error(`expected ${DUE} fired, got ${r.fired}`);
        results[kind === 'warning' ? 'warnings' : 'breaches'].push(r.ms);
      }
      for (let j = 0; j < 2; j++) {
        const r = await tick();
        if (r.fired !== 0) throw new Error(`expected nothing to fire, got ${r.fired}`);
        results.none.push(r.ms);
      }
    }

    console.log(
      `\ntick at ${NOW.toISOString()} over ${CLOCKS.toLocaleString()} running clocks, SLA_TICK_BATCH=${config.SLA_TICK_BATCH}` +
        ` (load average ${loadavg()
          .map((x) => x.toFixed(2))
          .join(' ')} on ${cpus().length} cores):`,
    );
    for (const [name, label] of [
      ['none', 'fires nothing'],
      ['warnings', `fires ${DUE} warnings`],
      ['breaches', `fires ${DUE} breaches (+ escalation step 1 + supervision item each)`],
    ] as const) {
      const s = summarise(results[name]);
      console.log(`  ${label.padEnd(66)} n=${s.count}  median ${ms(s.p50)}  min ${ms(s.min)}  max ${ms(s.max)}`);
    }
    const per = summarise(results.breaches.map((x) => x / DUE));
    console.log(`  per fired breach: ${round(per.p50 * 1000, 0)} µs (median)`);

    // ── the claim query's plan ──────────────────────────────────────────────────────────────
    await arm('warning');
    await pg.query('BEGIN');
    const plan = await pg.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${CLAIM_SQL}`, [NOW]);
    await pg.query('ROLLBACK');
    console.log(
      `\nEXPLAIN ANALYZE of the claim (ClocksRepository.claimDue), ${DUE} due:\n${plan.rows.map((r) => '  ' + r['QUERY PLAN']).join('\n')}`,
    );
  } finally {
    await app?.close().catch(() => undefined);
    await pg.end().catch(() => undefined);
    const nc = await connect({ servers: NATS_URL }).catch(() => undefined);
    if (nc) {
      const jsm = await nc.jetstreamManager();
      await jsm.streams.delete(stream).catch(() => undefined);
      await nc.close();
    }
    await admin.query(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
    await admin.end();
  }
}

/** The calendar edit's cost, before (every running clock) and after (the clocks whose window touches the day). */
async function calendarEdit(app: Awaited<ReturnType<typeof NestFactory.createApplicationContext>>, pg: Client): Promise<void> {
  const clocks = app.get(ClockRecomputeService);
  const rows = app.get(ClocksRepository);
  const calendar = app.get(CalendarService);
  const everyRunning = async (label: string): Promise<void> => {
    await calendar.reload();
    const job = await rows.queueRecompute({
      scope: 'days',
      fromAt: new Date('2000-01-01T00:00:00Z'),
      toAt: new Date('2100-01-01T00:00:00Z'),
    });
    const s = performance.now();
    const done = (await clocks.runRecompute(job.id, true))!;
    console.log(
      `  ${label.padEnd(58)} visited ${String(done.visited).padStart(6)}, moved ${String(done.moved).padStart(6)}: ${ms(performance.now() - s)}`,
    );
  };
  console.log(`\ncalendar edit over ${CLOCKS.toLocaleString()} running clocks (batches of 500, one transaction each):`);
  await everyRunning('normalise (every clock computed by the service once)');
  // The holiday: a working day EDIT_AHEAD days ahead (skipping weekends).
  let day = new Date(NOW.getTime() + EDIT_AHEAD * 86_400_000);
  while ([0, 6].includes(new Date(day.getTime() + 8 * HOUR).getUTCDay())) day = new Date(day.getTime() + 86_400_000);
  const iso = new Date(day.getTime() + 8 * HOUR).toISOString().slice(0, 10);
  const touch = await pg.query<{ n: string }>(
    `SELECT count(*) AS n FROM sla.sla_clock WHERE stopped_at IS NULL AND window_end >= $1::date::timestamp AT TIME ZONE 'Asia/Shanghai'
        AND started_at < ($1::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai'`,
    [iso],
  );
  console.log(`  ${iso} is made a holiday; clocks whose window touches it: ${Number(touch.rows[0].n).toLocaleString()}`);
  const s = performance.now();
  const r = await app.get(CalendarAdminService).setDays({ days: [{ day: iso, working: false, note: 'bench' }] });
  console.log(
    `  ${'after: POST /calendar/days (the window query)'.padEnd(58)} visited ${String(r.clocksRecomputed).padStart(6)}, moved ${String(r.clocksMoved).padStart(6)}: ${ms(performance.now() - s)}`,
  );
  await everyRunning('before: the same edit visiting every running clock');
  const plan = await pg.query<{ 'QUERY PLAN': string }>(
    `EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT * FROM sla.sla_clock c WHERE c.stopped_at IS NULL
        AND c.id > '00000000-0000-0000-0000-000000000000' AND c.id = ANY(ARRAY(SELECT w.id FROM sla.sla_clock w WHERE w.stopped_at IS NULL
        AND w.window_end >= $1::date::timestamp AT TIME ZONE 'Asia/Shanghai' AND w.started_at < ($1::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai'
        AND w.id > '00000000-0000-0000-0000-000000000000')) ORDER BY c.id LIMIT 500`,
    [iso],
  );
  console.log(
    `\nEXPLAIN ANALYZE of a recompute batch (ClocksRepository.recomputeBatch, days):\n${plan.rows.map((x) => '  ' + x['QUERY PLAN']).join('\n')}`,
  );
}

main().catch((e: Error) => {
  console.error(e.stack ?? e.message);
  process.exit(1);
});
