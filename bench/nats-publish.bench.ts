/**
 * The client's CPU per JetStream publish (what the outbox relay does for every event) with nats.js's
 * async stack traces on (its default: every request builds an Error for a stack it rarely shows)
 * and off (`noAsyncTraces`, which natsConnectionOptions sets for every service). A memory stream of
 * its own on NATS_URL (default 127.0.0.1:4222), 64 publishes in flight, a 600-byte body; 3 rounds
 * of each, alternating. Run it under each Node you deploy:
 * `node -r ts-node/register/transpile-only bench/nats-publish.bench.ts` (or `$(bash scripts/node24.sh)`).
 */
import { connect, StorageType } from 'nats';

const N = 20_000;
const URL = process.env.NATS_URL ?? '127.0.0.1:4222';

async function round(noAsyncTraces: boolean): Promise<number> {
  const nc = await connect({ servers: URL, noAsyncTraces });
  const jsm = await nc.jetstreamManager();
  const name = `BENCH_PUB_${process.pid}`;
  const subject = `benchpub${process.pid}.x`;
  await jsm.streams.add({ name, subjects: [`benchpub${process.pid}.>`], storage: StorageType.Memory });
  try {
    const js = nc.jetstream();
    const body = Buffer.from(JSON.stringify({ text: 'x'.repeat(600) }));
    for (let i = 0; i < 500; i++) await js.publish(subject, body); // warm-up
    const before = process.cpuUsage();
    let inflight: Promise<unknown>[] = [];
    for (let i = 0; i < N; i++) {
      inflight.push(js.publish(subject, body));
      if (inflight.length >= 64) {
        await Promise.all(inflight);
        inflight = [];
      }
    }
    await Promise.all(inflight);
    const used = process.cpuUsage(before);
    return (used.user + used.system) / N;
  } finally {
    await jsm.streams.delete(name);
    await nc.close();
  }
}

async function main(): Promise<void> {
  const out: Record<string, string[]> = { 'traces on (default)': [], noAsyncTraces: [] };
  for (let r = 0; r < 3; r++) {
    out['traces on (default)'].push((await round(false)).toFixed(1));
    out['noAsyncTraces'].push((await round(true)).toFixed(1));
  }
  console.log(`node ${process.version}: client CPU µs per js.publish, ${N} publishes a round`);
  for (const [k, v] of Object.entries(out)) console.log(`  ${k.padEnd(20)} ${v.join('  ')}`);
}

main().catch((e: Error) => {
  console.error(e);
  process.exit(1);
});
