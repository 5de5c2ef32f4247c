import { EventEnvelope, parseSubject, senderOf } from '@app/contracts';
import { configuredDatabaseOptions, natsConnectionOptions, parseEvent, standaloneTxHost } from '@app/platform';
import { AckPolicy, connect, DeliverPolicy, JetStreamManager, JsMsg, nanos } from 'nats';
import { randomUUID } from 'node:crypto';
import { setImmediate } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { AnalyticsConfig } from '../analytics.config';
import { ANALYTICS_PERSISTENCE } from '../analytics.persistence';
import { CATEGORY_NAME_EVENT_TYPES } from '../categories/category-names.handlers';
import { ORDER_EVENT_TYPES } from '../facts/facts.handlers';
import { BatchProjector, BatchRaceError } from './batch-projector';

/** The read model of the orders: what a replay empties and rebuilds. Hotspot decisions and stored reports are kept. */
export const READ_MODEL_TABLES = ['ticket_fact', 'callback_fact', 'event_daily', 'rate_daily', 'unit_name'] as const;

/**
 * Everything a replay empties and rebuilds: the orders' read model and the maintained category
 * names (category.changed.v1), which are built only from the stream too.
 */
export const REPLAYED_TABLES = [...READ_MODEL_TABLES, 'category_name'] as const;

export interface ReplayResult {
  lastSeq: number;
  applied: number;
  duplicates: number;
  skipped: number;
  ms: number;
}

export interface ReplayProgress {
  /** Stream messages read so far, of `total`. */
  done: number;
  total: number;
  /** Messages per second since the start, and the time left at that rate. */
  perSecond: number;
  etaSeconds: number;
}

export interface ReplayOptions {
  /** Events per transaction (default 10,000). */
  batch?: number;
  /** How often progress is reported while it runs (default every 2 s; the log gets a line too). */
  progressMs?: number;
  onProgress?: (p: ReplayProgress) => void;
}

/**
 * Rebuild the analytics read model from the event stream: empty the read-model tables and the
 * inbox, then read the stream from its first message with a consumer of its own and apply every
 * valid event with the same effects and merge rules as the live consumers (fact-effects.ts,
 * fact-merge.ts), a batch per transaction (batch-projector.ts), recording each in the inbox under
 * the live durable's name. The next batch is read and validated while the previous one is written.
 * Progress (messages done, rate, time left) goes to `log` every `progressMs`. The live service may
 * keep running: an event it applies meanwhile is in the inbox and the replay skips it (and the
 * other way round). Until the replay reaches the end the rates are partial, so run it at a quiet time.
 */
export async function replayAnalytics(
  config: AnalyticsConfig,
  log: (msg: string) => void = () => undefined,
  options: ReplayOptions = {},
): Promise<ReplayResult> {
  const batch = options.batch ?? 10_000;
  const started = Date.now();
  const ds = new DataSource(configuredDatabaseOptions(config, 'analytics', ANALYTICS_PERSISTENCE, 2));
  await ds.initialize();
  const nc = await connect(natsConnectionOptions(config, 'jiesu-analytics-replay'));
  const result: ReplayResult = { lastSeq: 0, applied: 0, duplicates: 0, skipped: 0, ms: 0 };
  let jsm: JetStreamManager | undefined;
  let consumerName: string | undefined;
  try {
    const domain = config.BUS_JS_DOMAIN ? { domain: config.BUS_JS_DOMAIN } : {};
    jsm = await nc.jetstreamManager(domain);
    result.lastSeq = (await jsm.streams.info(config.BUS_STREAM)).state.last_seq;
    const txHost = standaloneTxHost(ds);
    const projector = new BatchProjector(txHost, config);
    await ds.query(`TRUNCATE ${[...REPLAYED_TABLES, 'inbox'].join(', ')}`);
    log(`emptied ${REPLAYED_TABLES.join(', ')} and the inbox; replaying ${result.lastSeq} messages of ${config.BUS_STREAM}`);
    if (result.lastSeq === 0) return result;

    // A consumer of the replay's own, acknowledged a batch at a time once the batch is written
    // (AckAll: the batch's last message acknowledges it whole). The server sends no more than
    // `max_ack_pending` unacknowledged messages: the batch being written, the one being read and the
    // next, whatever the stream's length. (An ordered consumer's `consume()` asks for more as
    // messages arrive, not as they are handled, and held most of the stream when the writes were
    // slower than the network: 1.2 GB for 200,000 events. Its `fetch()` lost messages between
    // fetches.) It is removed at the end, or by the server a minute after the replay is gone.
    // Named, with a filter: created through $JS.API.CONSUMER.CREATE.<stream>.<name>.<filter>, the
    // only consumer creation analytics' NATS user may ask for (deploy/nats/accounts.conf).
    const perPull = Math.max(batch, 1000); // messages asked for at a time
    const created = await jsm.consumers.add(config.BUS_STREAM, {
      name: `analytics-replay-${randomUUID().slice(0, 8)}`,
      filter_subject: `${config.BUS_PREFIX}.>`,
      deliver_policy: DeliverPolicy.All,
      ack_policy: AckPolicy.All,
      ack_wait: nanos(ACK_WAIT_MS),
      max_ack_pending: 3 * perPull,
      inactive_threshold: nanos(60_000),
    });
    consumerName = created.name;
    const consumer = await nc.jetstream(domain).consumers.get(config.BUS_STREAM, consumerName);
    const messages = await consumer.consume({ max_messages: perPull });
    let done = 0;
    let firstSeq = 0;
    let lastReport = Date.now();
    const report = (force = false) => {
      const now = Date.now();
      if (!force && now - lastReport < (options.progressMs ?? 2000)) return;
      lastReport = now;
      const total = result.lastSeq - firstSeq + 1;
      const perSecond = done / Math.max(0.001, (now - started) / 1000);
      const p = { done, total, perSecond, etaSeconds: (total - done) / Math.max(1, perSecond) };
      options.onProgress?.(p);
      log(
        `replay: ${done.toLocaleString('en')} / ${total.toLocaleString('en')} messages (${((done / total) * 100).toFixed(1)} %), ` +
          `${Math.round(perSecond).toLocaleString('en')}/s, about ${Math.ceil(p.etaSeconds)} s left`,
      );
    };
    // While one batch is written, the next is read and validated: the two overlap on a multi-core machine.
    let writing: Promise<void> = Promise.resolve();
    let pending: EventEnvelope[] = [];
    let lastMsg: JsMsg | undefined;
    const flush = async (): Promise<void> => {
      const todo = pending;
      const upTo = lastMsg;
      pending = [];
      await writing;
      writing = (async () => {
        // A live consumer may create an order the batch meant to create: the batch runs again, seeing it.
        for (let attempt = 1; ; attempt++) {
          try {
            const r = await txHost.withTransaction(() => projector.apply(todo));
            result.applied += r.applied;
            result.duplicates += r.duplicates;
            upTo?.ack(); // this message and every one before it: the server may send the next batch
            return;
          } catch (e) {
            if (!(e instanceof BatchRaceError) || attempt >= 5) throw e;
          }
        }
      })();
      writing.catch(() => undefined); // awaited (and thrown) before the next batch or at the end
    };
    for await (const msg of messages) {
      if (!firstSeq) firstSeq = msg.info.streamSequence;
      lastMsg = msg;
      const e = validEvent(msg.subject, msg.string());
      if (e) pending.push(e);
      else result.skipped++;
      done++;
      // Let the writer's Postgres replies in: the consumer's buffer is drained in microtasks, which
      // would otherwise hold every reply (and the next statement) back until the buffer is empty.
      if (done % YIELD_EVERY === 0) await setImmediate();
      // The end: the stream's last message when the replay began, or nothing more under the prefix
      // (the stream may hold other prefixes' subjects after it; waiting for them would never end).
      const last = msg.info.streamSequence >= result.lastSeq || msg.info.pending === 0;
      if (pending.length >= batch || last) await flush();
      report();
      if (last) break;
    }
    messages.stop();
    await writing;
    report(true);
    log(
      `applied ${result.applied}, already applied ${result.duplicates}, skipped ${result.skipped} (not analytics', invalid or mismatched)`,
    );
    return result;
  } finally {
    result.ms = Date.now() - started;
    if (consumerName) await jsm?.consumers.delete(config.BUS_STREAM, consumerName).catch(() => undefined);
    await nc.close();
    await ds.destroy();
  }
}

/** How long a batch may take to be written before the server sends its messages again (the inbox would skip them). */
const ACK_WAIT_MS = 10 * 60_000;

/** Messages read between two turns of the event loop (see the loop). */
const YIELD_EVERY = 200;

const SUBSCRIBED = new Set<string>([...ORDER_EVENT_TYPES, ...CATEGORY_NAME_EVENT_TYPES]);

/**
 * What the live consumers apply: the events about orders and the category names. What they never
 * apply is not applied here either: a type analytics has no consumer for (staff changes), and what
 * they dead-letter (invalid; type or district not those of the subject; an addressed event sent
 * under another district than its order's, consumer-host.ts).
 */
export function validEvent(rawSubject: string, body: string): EventEnvelope | null {
  const subject = parseSubject(rawSubject);
  if (!subject || !SUBSCRIBED.has(subject.type)) return null;
  const parsed = parseEvent(body);
  if (!parsed.ok) return null;
  const e = parsed.envelope;
  if (e.type !== subject.type || e.district !== subject.district) return null;
  const from = senderOf(e.type, e.data);
  return from === undefined || from === e.district ? e : null;
}
