/**
 * Analytics at scale: BENCH_ANALYTICS_ORDERS (10,000,000) orders of one year loaded set-based into a
 * scratch database — the fact rows (ticket_fact) and their daily rollup (rate_daily) — then the
 * month's rates for the whole city and the monthly unit ranking, timed through the real
 * RatesService (its repository SQL and its JavaScript), several repetitions each, with EXPLAIN.
 *
 *   npm run bench:analytics      (BENCH_ANALYTICS_ORDERS=10000000 BENCH_ANALYTICS_REPS=20 BENCH_ANALYTICS_FACTS=1)
 *
 * No service, no NATS: orders are generated with generate_series in chunks of BENCH_ANALYTICS_CHUNK,
 * never pushed through the pipeline. The rollup is built from the same per-order attributes as the
 * facts with every counter on the order's acceptance day (the live projector counts each on its own
 * instant's day; the number and shape of rollup rows, which is what a query pays for, is the same).
 */
import 'reflect-metadata';
import { loadConfig, standaloneTxHost } from '@app/platform';
import { mkdirSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { configuredDatabaseOptions } from '@app/platform';
import { AnalyticsConfig } from '../apps/analytics/src/analytics.config';
import { ANALYTICS_PERSISTENCE } from '../apps/analytics/src/analytics.persistence';
import { CategoryNamesRepository } from '../apps/analytics/src/categories/category-names.repository';
import { RatesRepository } from '../apps/analytics/src/rates/rates.repository';
import { FigureOrdersRepository } from '../apps/analytics/src/rates/figure-orders.repository';
import { RatesService } from '../apps/analytics/src/rates/rates.service';
import { migrateAll } from '../scripts/migrate';
import { ms, round, summarise } from './lib/stats';

const BASE = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ORDERS = Number(process.env.BENCH_ANALYTICS_ORDERS ?? 10_000_000);
const CHUNK = Number(process.env.BENCH_ANALYTICS_CHUNK ?? 1_000_000);
const REPS = Number(process.env.BENCH_ANALYTICS_REPS ?? 20);
const FACTS = (process.env.BENCH_ANALYTICS_FACTS ?? '1') === '1';
const KEEP = process.env.BENCH_ANALYTICS_KEEP === '1';
const YEAR_START = '2025-01-01';
const MONTH = '2025-11';

const DISTRICTS = ['630102', '630103', '630104', '630105', '630106', '630121', '630123'];
const CATEGORIES = [
  'noise',
  'heating',
  'lift',
  'garbage',
  'wage_arrears',
  'water',
  'street_vendor',
  'property',
  'parking',
  'road',
  'street_light',
  'consumer_rights',
  'food_safety',
  'social_security',
  'education',
  'health',
  'pollution',
  'cooking_fumes',
  'tourism',
  'construction',
  'drainage',
  'tree',
  'gas',
  'power',
  'neighbourhood',
];
const CHANNELS = [
  'phone_12345',
  'phone_12345',
  'phone_12345',
  'phone_12345',
  'phone_12345',
  'web',
  'mayor_mailbox',
  'grid_worker',
  'video_patrol',
  'online_opinion',
];
const TYPES = ['complaint', 'complaint', 'complaint', 'help', 'help', 'inquiry', 'suggestion', 'report', 'praise'];

const arr = (xs: string[]) => `ARRAY[${xs.map((x) => `'${x}'`).join(',')}]`;
/** A deterministic pseudo-random integer in [0, m) from the order number and a salt. */
const pick = (salt: number, m: number) => `(((g::bigint * ${2654435761 + salt * 40503}) % 4294967291) % ${m})::int`;
const uuidOf = (seed: string) => `overlay(overlay(md5(${seed}) placing '4' from 13) placing '8' from 17)::uuid`;

/** One order's attributes, from its number g. Streets: 10 per district; units: 9 departments + 10 streets per district. */
const ORDER = `
  SELECT g,
         ($3::date + ((g - 1) * 365 / $4::bigint)::int) AS day,
         (${arr(DISTRICTS)})[1 + ${pick(1, DISTRICTS.length)}] AS district,
         ${pick(2, 10)} AS street_i,
         ${pick(3, 19)} AS unit_i,
         (${arr(CATEGORIES)})[1 + ${pick(4, CATEGORIES.length)}] AS category,
         (${arr(CHANNELS)})[1 + ${pick(5, CHANNELS.length)}] AS channel,
         (${arr(TYPES)})[1 + ${pick(6, TYPES.length)}] AS request_type,
         ${pick(7, 100)} AS r
    FROM generate_series($1::bigint, $2::bigint) g`;

/** What the order is: r < 55 answered at first contact, else accepted and dispatched; outcomes by further slices of r. */
const ATTRS = `
  SELECT o.*, o.r >= 55 AS accepted,
         o.district || lpad((1 + o.street_i)::text, 3, '0') AS street,
         ${uuidOf("'u' || o.district || o.unit_i")} AS unit_id
    FROM (${ORDER}) o`;

function urlFor(db: string): string {
  const u = new URL(BASE);
  u.pathname = `/${db}`;
  return u.toString();
}

async function main(): Promise<void> {
  const db = `jiesu_bench_an_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: BASE });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${db}"`);
  const url = urlFor(db);
  const pg = new Client({ connectionString: url });
  let ds: DataSource | undefined;
  const started = performance.now();
  try {
    await migrateAll(url, ['analytics'], () => undefined);
    await pg.connect();
    await pg.query('SET search_path = analytics');
    await pg.query(`SET work_mem = '256MB'`);

    // ── load ────────────────────────────────────────────────────────────────────────────────
    let factsMs = 0;
    let rollupMs = 0;
    for (let lo = 1; lo <= ORDERS; lo += CHUNK) {
      const hi = Math.min(ORDERS, lo + CHUNK - 1);
      const params = [lo, hi, YEAR_START, ORDERS];
      let t = performance.now();
      if (FACTS) {
        await pg.query(
          `INSERT INTO ticket_fact (ticket_id, district_code, order_no, channel, category_code, request_type, urgency, unit_id, unit_name,
                                    street_code, community_code, wall_opt_out, cycle, accepted_at, answered_at, dispatched_at, contacted_at,
                                    respond_due_at, first_finish_due_at, finish_due_at, first_replied_at, last_replied_at, closed_at,
                                    reopen_count, reply_text, reply_cycle)
           SELECT ${uuidOf("'t' || a.g")}, a.district, to_char(a.day, 'YYYYMMDD') || '-' || lpad((a.g % 1000000)::text, 6, '0'),
                  a.channel, a.category, a.request_type, 'ordinary',
                  CASE WHEN a.accepted THEN a.unit_id END, CASE WHEN a.accepted THEN '单位' || a.unit_i END,
                  a.street, a.street || lpad((1 + a.r % 8)::text, 3, '0'), a.r % 10 = 0, CASE WHEN a.accepted THEN 1 ELSE 0 END,
                  CASE WHEN a.accepted THEN ts END, CASE WHEN NOT a.accepted THEN ts END,
                  CASE WHEN a.accepted THEN ts + interval '10 minutes' END,
                  CASE WHEN a.accepted AND a.r < 98 THEN ts + interval '2 hours' END,
                  CASE WHEN a.accepted THEN ts + interval '1 day' END,
                  CASE WHEN a.accepted THEN ts + interval '5 days' END, CASE WHEN a.accepted THEN ts + interval '5 days' END,
                  CASE WHEN a.accepted AND a.r < 97 THEN ts + interval '3 days' END, CASE WHEN a.accepted AND a.r < 97 THEN ts + interval '3 days' END,
                  CASE WHEN a.accepted AND a.r < 96 THEN ts + interval '4 days' END,
                  CASE WHEN a.accepted AND a.r BETWEEN 93 AND 94 THEN 1 ELSE 0 END,
                  CASE WHEN a.accepted AND a.r < 97 THEN '已处理' END, CASE WHEN a.accepted AND a.r < 97 THEN 1 END
             FROM (SELECT *, (day::timestamp + interval '9 hours' + (g % 480) * interval '1 minute') AT TIME ZONE 'Asia/Shanghai' AS ts
                     FROM (${ATTRS}) x) a`,
          params,
        );
      }
      factsMs += performance.now() - t;
      t = performance.now();
      // Every order in each of the seven dimension sets, counters as the live rollup names them.
      await pg.query(
        `INSERT INTO rate_daily (dimension, day, district_code, dim_key, accepted, answered, dispatched, responded_on_time, replied,
                                 replied_on_time, reworked, closed, callbacks, resolved, satisfied, basically_satisfied)
         SELECT d.dimension, a.day, a.district, d.key,
                count(*) FILTER (WHERE a.accepted), count(*) FILTER (WHERE NOT a.accepted),
                count(*) FILTER (WHERE a.accepted), count(*) FILTER (WHERE a.accepted AND a.r < 98),
                count(*) FILTER (WHERE a.accepted AND a.r < 97), count(*) FILTER (WHERE a.accepted AND a.r < 96),
                count(*) FILTER (WHERE a.accepted AND a.r BETWEEN 93 AND 94), count(*) FILTER (WHERE a.accepted AND a.r < 96),
                count(*) FILTER (WHERE a.accepted AND a.r < 96), count(*) FILTER (WHERE a.accepted AND a.r < 94),
                count(*) FILTER (WHERE a.accepted AND a.r < 92), count(*) FILTER (WHERE a.accepted AND a.r BETWEEN 92 AND 94)
           FROM (${ATTRS}) a
           CROSS JOIN LATERAL (VALUES ('district', ''), ('street', a.street), ('unit', CASE WHEN a.accepted THEN a.unit_id::text ELSE '' END),
                                      ('category', a.category), ('channel', a.channel), ('request_type', a.request_type),
                                      ('unit_category', CASE WHEN a.accepted THEN a.unit_id::text ELSE '' END || '/' || a.category)) d(dimension, key)
          GROUP BY 1, 2, 3, 4
         ON CONFLICT (dimension, day, district_code, dim_key) DO UPDATE SET
           accepted = rate_daily.accepted + EXCLUDED.accepted, answered = rate_daily.answered + EXCLUDED.answered,
           dispatched = rate_daily.dispatched + EXCLUDED.dispatched, responded_on_time = rate_daily.responded_on_time + EXCLUDED.responded_on_time,
           replied = rate_daily.replied + EXCLUDED.replied, replied_on_time = rate_daily.replied_on_time + EXCLUDED.replied_on_time,
           reworked = rate_daily.reworked + EXCLUDED.reworked, closed = rate_daily.closed + EXCLUDED.closed,
           callbacks = rate_daily.callbacks + EXCLUDED.callbacks, resolved = rate_daily.resolved + EXCLUDED.resolved,
           satisfied = rate_daily.satisfied + EXCLUDED.satisfied, basically_satisfied = rate_daily.basically_satisfied + EXCLUDED.basically_satisfied`,
        params,
      );
      rollupMs += performance.now() - t;
      console.log(`  orders ${lo.toLocaleString()}–${hi.toLocaleString()}: facts ${ms(factsMs)}, rollup ${ms(rollupMs)} so far`);
    }
    await pg.query(
      `INSERT INTO unit_name (unit_id, district_code, name, seen_at)
       SELECT DISTINCT ${uuidOf("'u' || d || i")}, d, d || '单位' || i, now() FROM unnest(${arr(DISTRICTS)}) d, generate_series(0, 18) i`,
    );
    const t = performance.now();
    await pg.query('VACUUM ANALYZE ticket_fact, rate_daily, unit_name');
    const vacuumMs = performance.now() - t;
    const sizes = (
      await pg.query<{ rel: string; rows: string; size: string }>(
        `SELECT c.relname AS rel, c.reltuples::bigint AS rows, pg_size_pretty(pg_total_relation_size(c.oid)) AS size
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = 'analytics' AND c.relname IN ('ticket_fact', 'rate_daily') ORDER BY 1`,
      )
    ).rows;
    const loadMs = performance.now() - started;
    console.log(
      `loaded ${ORDERS.toLocaleString()} orders in ${ms(loadMs)} (facts ${ms(factsMs)}, rollup ${ms(rollupMs)}, VACUUM ANALYZE ${ms(vacuumMs)})`,
    );
    for (const s of sizes) console.log(`  ${s.rel}: ${Number(s.rows).toLocaleString()} rows, ${s.size}`);

    // ── the queries, through the real service ──────────────────────────────────────────────
    // DB_PREPARED_STATEMENTS as the services read it (0: unnamed statements, every run planned anew).
    const config = loadConfig(AnalyticsConfig, {
      DATABASE_URL: url,
      NODE_ENV: 'test',
      ...(process.env.DB_PREPARED_STATEMENTS ? { DB_PREPARED_STATEMENTS: process.env.DB_PREPARED_STATEMENTS } : {}),
    });
    ds = new DataSource(configuredDatabaseOptions(config, 'analytics', ANALYTICS_PERSISTENCE, 2));
    await ds.initialize();
    const tx = standaloneTxHost(ds);
    const service = new RatesService(new RatesRepository(tx), new FigureOrdersRepository(tx), new CategoryNamesRepository(tx), config);
    const period = service.period({ period: 'month', from: `${MONTH}-01` });
    const time = async (fn: () => Promise<unknown>): Promise<number[]> => {
      await fn(); // warm-up
      const out: number[] = [];
      for (let i = 0; i < REPS; i++) {
        const s = performance.now();
        await fn();
        out.push(performance.now() - s);
      }
      return out;
    };
    const cityRates = await service.computeFor(period, null);
    const ranking = await service.rankingFor(MONTH, 'unit', null);
    const timings = {
      cityMonthRates: summarise(await time(() => service.computeFor(period, null))),
      monthlyUnitRanking: summarise(await time(() => service.rankingFor(MONTH, 'unit', null))),
      monthlyStreetRanking: summarise(await time(() => service.rankingFor(MONTH, 'street', null))),
      monthByCategory: summarise(await time(() => service.breakdownFor(period, null, 'category'))),
    };
    const explain = async (sql: string, params: unknown[]) =>
      (await pg.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params)).rows.map((r) => r['QUERY PLAN']);
    const plans = {
      cityMonthRates: await explain(
        `SELECT sum(accepted), sum(dispatched), sum(responded_on_time), sum(callbacks), sum(resolved), sum(satisfied) FROM rate_daily
          WHERE dimension = 'district' AND day BETWEEN $1::date AND $2::date AND ($3::text IS NULL OR district_code = $3)`,
        [period.from, period.to, null],
      ),
      monthlyUnitRanking: await explain(
        `SELECT dim_key, district_code, sum(dispatched), sum(responded_on_time), sum(callbacks), sum(resolved), sum(satisfied) FROM rate_daily
          WHERE dimension = 'unit' AND day BETWEEN $1::date AND $2::date AND ($3::text IS NULL OR district_code = $3) GROUP BY 1, 2`,
        [period.from, period.to, null],
      ),
    };

    console.log(`\n${MONTH}, whole city (${REPS} repetitions after a warm-up):`);
    for (const [k, s] of Object.entries(timings)) {
      console.log(`  ${k.padEnd(22)} median ${ms(s.p50)}  p90 ${ms(s.p90)}  p99/max ${ms(s.p99)} / ${ms(s.max)}`);
    }
    console.log(
      `  rates: response ${cityRates.rates.response.percent}%, resolution ${cityRates.rates.resolution.percent}%, satisfaction ${cityRates.rates.satisfaction.percent}%; ` +
        `${cityRates.volumes.contacts.toLocaleString()} contacts, ${cityRates.volumes.dispatched.toLocaleString()} dispatched`,
    );
    console.log(
      `  ranking: ${ranking.ranked.length} units ranked; red ${ranking.redList.map((r) => r.score).join(', ')}; black ${ranking.blackList.map((r) => r.score).join(', ')}`,
    );
    console.log('\nEXPLAIN city month rates:\n  ' + plans.cityMonthRates.join('\n  '));
    console.log('\nEXPLAIN monthly unit ranking:\n  ' + plans.monthlyUnitRanking.join('\n  '));

    const dir = join(__dirname, 'results');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `analytics-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(
      file,
      JSON.stringify(
        {
          orders: ORDERS,
          facts: FACTS,
          chunk: CHUNK,
          reps: REPS,
          loadMs: round(loadMs),
          factsMs: round(factsMs),
          rollupMs: round(rollupMs),
          vacuumMs: round(vacuumMs),
          sizes,
          timings,
          plans,
          cityRates,
          rankingSize: ranking.ranked.length,
        },
        null,
        2,
      ),
    );
    console.log(`\nwrote ${file}`);
  } finally {
    await ds?.destroy();
    await pg.end().catch(() => undefined);
    if (!KEEP) await admin.query(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
    else console.log(`kept database ${db}`);
    await admin.end();
  }
}

main().catch((e: Error) => {
  console.error(e.stack ?? e.message);
  process.exit(1);
});
