/**
 * The SLA tick at scale: 1,000,000 running clocks in a scratch database, then the cost of a tick
 * that fires 1,000 of them (warnings; breaches with their first escalation step and supervision
 * item) and of a tick that fires none, several times each; and the plan of the claim query.
 *
 *   npm run bench:sla            (BENCH_SLA_CLOCKS=1000000 BENCH_SLA_DUE=1000 BENCH_SLA_REPS=5)
 *
 * The clocks are loaded with one set-based INSERT … SELECT generate_series. The sla service runs
 * in this process (its real module, ClocksService.tick) on its own NATS stream; the database and
 * the stream are dropped at the end.
 */
import 'reflect-metadata';
import { loadConfig } from '@app/platform';
import { NestFactory } from '@nestjs/core';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { connect } from 'nats';
import { Client } from 'pg';
import { ClocksService } from '../apps/sla/src/clocks/clocks.service';
import { SlaConfig } from '../apps/sla/src/sla.config';
import { SlaModule } from '../apps/sla/src/sla.module';
import { migrateAll } from '../scripts/migrate';
import { ms, round, summarise } from './lib/stats';

const BASE = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const CLOCKS = Number(process.env.BENCH_SLA_CLOCKS ?? 1_000_000);
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
      `INSERT INTO sla.sla_clock (id, ticket_id, district_code, unit_id, kind, cycle, policy_id,
                                  started_at, unit_assigned_at, due_at, warn_at, next_fire_at)
       SELECT ${uuidOf("'c' || g")}, ${uuidOf("'t' || g")}, '630104', ${uuidOf("'u' || (g % 500)")}, 'finish', 1, $2,
              $1::timestamptz - interval '1 day', $1::timestamptz - interval '1 day',
              $1::timestamptz + interval '1 hour' * (1 + g % 720) + interval '1 day',
              $1::timestamptz + interval '1 hour' * (1 + g % 720),
              $1::timestamptz + interval '1 hour' * (1 + g % 720)
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
    const clocks = app.get(ClocksService);
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

    console.log(`\ntick at ${NOW.toISOString()} over ${CLOCKS.toLocaleString()} running clocks, SLA_TICK_BATCH=${config.SLA_TICK_BATCH}:`);
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

main().catch((e: Error) => {
  console.error(e.stack ?? e.message);
  process.exit(1);
});
