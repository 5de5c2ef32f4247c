/**
 * The yardstick: how many single-row INSERTs per second this machine's Postgres takes with nothing
 * else of ours running — a plain table (id uuid, payload jsonb), one INSERT per transaction
 * (autocommit, so one WAL flush per row as synchronous_commit allows), `clients` connections each
 * with one statement in flight.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { OrderFactory } from './orders';
import { summarise, Summary } from './stats';

export interface RawInsertResult {
  clients: number;
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  latencyMs: Summary;
  errors: number;
  firstError?: string;
  payloadBytesAvg: number;
}

export async function rawInsertBench(
  url: string,
  clients: number,
  maxSeconds: number,
  maxRows: number,
  seed: number,
): Promise<RawInsertResult> {
  const setup = new Client({ connectionString: url });
  await setup.connect();
  await setup.query('CREATE TABLE IF NOT EXISTS bench_raw_insert (id uuid PRIMARY KEY, payload jsonb NOT NULL)');
  await setup.query('TRUNCATE bench_raw_insert');
  await setup.end();

  // The same kind of payload an order carries, pre-built so the client side costs little.
  const factory = new OrderFactory(seed ^ 0x5eed);
  const payloads = Array.from({ length: 512 }, () => JSON.stringify(factory.next()));
  const payloadBytesAvg = Math.round(payloads.reduce((a, p) => a + Buffer.byteLength(p), 0) / payloads.length);

  const conns = await Promise.all(
    Array.from({ length: clients }, async () => {
      const c = new Client({ connectionString: url });
      await c.connect();
      return c;
    }),
  );
  const latencies: number[] = [];
  let rows = 0;
  let issued = 0;
  let errors = 0;
  let firstError: string | undefined;
  const t0 = performance.now();
  const deadline = t0 + maxSeconds * 1000;
  try {
    await Promise.all(
      conns.map(async (c) => {
        while (issued < maxRows && performance.now() < deadline) {
          const i = issued++;
          const s = performance.now();
          try {
            await c.query({
              name: 'raw_ins',
              text: 'INSERT INTO bench_raw_insert (id, payload) VALUES ($1, $2)',
              values: [randomUUID(), payloads[i % payloads.length]],
            });
            rows++;
            latencies.push(performance.now() - s);
          } catch (e) {
            errors++;
            firstError ??= (e as Error).message;
            if (errors > 100) throw e;
          }
        }
      }),
    );
  } finally {
    await Promise.allSettled(conns.map((c) => c.end()));
  }
  const seconds = (performance.now() - t0) / 1000;
  return { clients, rows, seconds, rowsPerSecond: rows / seconds, latencyMs: summarise(latencies), errors, firstError, payloadBytesAvg };
}
