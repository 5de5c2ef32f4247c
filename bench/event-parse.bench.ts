/**
 * Micro-bench of what every consumed message costs before and around its handler (issue 17):
 * `parseEvent` on a realistic mix of event bodies (bench/lib/events.ts) and its parts, then the
 * consumer host's per-message overhead apart from the handler: header decoding, the consumer
 * trace (light trace and AsyncLocalStorage, or an OpenTelemetry span with BENCH_OTEL=1), the
 * bus metrics. One process, no I/O; CPU µs per call (process.cpuUsage, so that a busy machine's
 * other processes count less), the median of ROUNDS rounds.
 *
 *   npm run bench:parse
 *   BENCH_PARSE_ROUNDS=15 BENCH_PARSE_EVENTS=4000 npm run bench:parse
 */
import 'reflect-metadata';
import { EVENT_CATALOGUE, EnvelopeDto, isEventType } from '@app/contracts';
import { inConsumerTrace, MetricsRegistry, parseEvent, parseEventBytes } from '@app/platform';
import { plainToInstance } from 'class-transformer';
import { headers as natsHeaders, MsgHdrsImpl } from 'nats';
import { loadavg } from 'node:os';
import { BusMetrics } from '../libs/platform/src/bus/bus.metrics';
import { EventFactory } from './lib/events';

const ROUNDS = Number(process.env.BENCH_PARSE_ROUNDS ?? 9);
const EVENTS = Number(process.env.BENCH_PARSE_EVENTS ?? 2000);

/** CPU µs (user + system) of this process since `from`: on a shared machine, wall time counts the others' turns too. */
function cpuMicros(from: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(from);
  return d.user + d.system;
}

/** CPU µs per call of `fn(i)` over `n` calls: the median of ROUNDS rounds (after one warm-up round). */
function time(n: number, fn: (i: number) => unknown): { median: number; min: number } {
  const per: number[] = [];
  for (let r = 0; r <= ROUNDS; r++) {
    const t = process.cpuUsage();
    for (let i = 0; i < n; i++) fn(i);
    if (r > 0) per.push(cpuMicros(t) / n);
  }
  per.sort((a, b) => a - b);
  return { median: per[Math.floor(per.length / 2)], min: per[0] };
}

async function timeAsync(n: number, fn: (i: number) => Promise<unknown>): Promise<{ median: number; min: number }> {
  const per: number[] = [];
  for (let r = 0; r <= ROUNDS; r++) {
    const t = process.cpuUsage();
    for (let i = 0; i < n; i++) await fn(i);
    if (r > 0) per.push(cpuMicros(t) / n);
  }
  per.sort((a, b) => a - b);
  return { median: per[Math.floor(per.length / 2)], min: per[0] };
}

const rows: [string, { median: number; min: number }][] = [];
const row = (name: string, r: { median: number; min: number }) => {
  rows.push([name, r]);
  process.stdout.write(`${name.padEnd(58)} ${r.median.toFixed(2).padStart(8)} µs  (min ${r.min.toFixed(2)})\n`);
};

async function main(): Promise<void> {
  const factory = new EventFactory('hotline', 17);
  const bodies: string[] = [];
  while (bodies.length < EVENTS) {
    for (const e of factory.nextOrder()) {
      // The factory's few deliberately invalid events are the rare path; time the valid mix.
      if (parseEvent(e.body).ok) bodies.push(e.body);
    }
  }
  const bytes = bodies.map((b) => new TextEncoder().encode(b));
  const accepted = bodies.filter((b) => b.includes('"ticket.accepted.v1"'));
  const avgBytes = Math.round(bytes.reduce((s, b) => s + b.byteLength, 0) / bytes.length);
  process.stdout.write(
    `${bodies.length} valid events (${new Set(bodies.map((b) => (JSON.parse(b) as { type: string }).type)).size} types, ` +
      `${avgBytes} bytes on average), ${ROUNDS} rounds, load average ${loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')}\n\n`,
  );

  const n = bodies.length;
  row(
    'parseEventBytes (the consumer: UTF-8, JSON, validation)',
    time(n, (i) => parseEventBytes(bytes[i])),
  );
  row(
    'parseEvent (the mix)',
    time(n, (i) => parseEvent(bodies[i])),
  );
  row(
    'parseEvent (ticket.accepted.v1 only)',
    time(accepted.length, (i) => parseEvent(accepted[i])),
  );
  row(
    '  of which JSON.parse',
    time(n, (i) => JSON.parse(bodies[i])),
  );
  const parsed = bodies.map((b) => JSON.parse(b) as { type: string; data: object });
  row(
    '  plainToInstance (envelope + payload), for comparison',
    time(n, (i) => {
      const env = plainToInstance(EnvelopeDto, parsed[i]);
      return isEventType(env.type) ? plainToInstance(EVENT_CATALOGUE[env.type] as new () => object, env.data) : null;
    }),
  );

  // The consumer host's own work per message, apart from the handler and the database.
  const h = natsHeaders();
  h.set('traceparent', '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
  h.set('Nats-Msg-Id', '6b0f2a8e-0d3c-4c1e-9a51-000000000001');
  const encoded = (h as MsgHdrsImpl).encode();
  let headerObj: Record<string, string> = {};
  row(
    'headers: decode the NATS header block only',
    time(n, () => MsgHdrsImpl.decode(encoded)),
  );
  row(
    'headers: decode + copy by keys() and get(k) (consumer host until i17valid)',
    time(n, () => {
      const m = MsgHdrsImpl.decode(encoded);
      const out: Record<string, string> = {};
      for (const k of m.keys()) out[k] = m.get(k);
      return out;
    }),
  );
  row(
    'headers: decode + copy by iteration (consumer host now)',
    time(n, () => {
      const m = MsgHdrsImpl.decode(encoded);
      const out: Record<string, string> = {};
      for (const [k, values] of m) out[k] = values[0];
      headerObj = out;
      return out;
    }),
  );
  const attrs = {
    'messaging.system': 'nats',
    'messaging.destination.name': 'hotline.630104.ticket.accepted.v1',
    'messaging.consumer.group.name': 'x',
  };
  row(
    'inConsumerTrace around an empty handler',
    await timeAsync(n, () => inConsumerTrace(headerObj, 'hotline.630104.ticket.accepted.v1 process', attrs, () => Promise.resolve())),
  );
  const metrics = new BusMetrics(new MetricsRegistry());
  row(
    'metrics: consumed.inc + handlerSeconds timer + batchMessages',
    time(n, () => {
      metrics.batchMessages.observe({ consumer: 'dispatch__ticket_accepted_v1' }, 1);
      const end = metrics.handlerSeconds.startTimer({ consumer: 'dispatch__ticket_accepted_v1' });
      metrics.consumed.inc({ consumer: 'dispatch__ticket_accepted_v1', outcome: 'applied' });
      end();
    }),
  );
  process.stdout.write(`\n${JSON.stringify({ loadavg: loadavg(), rows: Object.fromEntries(rows.map(([k, v]) => [k.trim(), v])) })}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
