import { isEventType, parseSubject } from '@app/contracts';
import { databaseOptions, durableName, natsConnectionOptions, parseEvent, standaloneTxHost, TxHost } from '@app/platform';
import { connect, ConsumerMessages } from 'nats';
import { DataSource } from 'typeorm';
import { AnalyticsConfig } from '../analytics.config';
import { ANALYTICS_PERSISTENCE } from '../analytics.persistence';
import { FactsProjector } from '../facts/facts.projector';
import { FactsRepository } from '../facts/facts.repository';

/** The read model: what a replay empties and rebuilds. Hotspot decisions and stored reports are kept. */
export const READ_MODEL_TABLES = ['ticket_fact', 'callback_fact', 'event_daily', 'rate_daily', 'unit_name'] as const;

export interface ReplayResult {
  lastSeq: number;
  applied: number;
  duplicates: number;
  skipped: number;
  ms: number;
}

/**
 * Rebuild the analytics read model from the event stream: empty the read-model tables and the
 * inbox, then read the stream from its first message with an ordered consumer and apply every
 * valid event through the same projector as the live consumers, recording each in the inbox under
 * the live durable's name. The live service may keep running: an event it applies meanwhile is in
 * the inbox and the replay skips it (and the other way round). Until the replay reaches the end the
 * rates are partial, so run it at a quiet time.
 */
export async function replayAnalytics(
  config: AnalyticsConfig,
  log: (msg: string) => void = () => undefined,
  batch = 500,
): Promise<ReplayResult> {
  const started = Date.now();
  const ds = new DataSource(databaseOptions(config.DATABASE_URL, 'analytics', ANALYTICS_PERSISTENCE, 2));
  await ds.initialize();
  const nc = await connect(natsConnectionOptions(config, 'jiesu-analytics-replay'));
  const result: ReplayResult = { lastSeq: 0, applied: 0, duplicates: 0, skipped: 0, ms: 0 };
  try {
    const domain = config.BUS_JS_DOMAIN ? { domain: config.BUS_JS_DOMAIN } : {};
    const jsm = await nc.jetstreamManager(domain);
    result.lastSeq = (await jsm.streams.info(config.BUS_STREAM)).state.last_seq;
    const txHost = standaloneTxHost(ds);
    const projector = new FactsProjector(new FactsRepository(txHost, config), config);
    await ds.query(`TRUNCATE ${[...READ_MODEL_TABLES, 'inbox'].join(', ')}`);
    log(`emptied ${READ_MODEL_TABLES.join(', ')} and the inbox; replaying ${result.lastSeq} messages of ${config.BUS_STREAM}`);
    if (result.lastSeq === 0) return result;

    const consumer = await nc.jetstream(domain).consumers.get(config.BUS_STREAM, { filterSubjects: `${config.BUS_PREFIX}.>` });
    const messages: ConsumerMessages = await consumer.consume({ max_messages: batch });
    let pending: { subject: string; body: string }[] = [];
    const flush = async (): Promise<void> => {
      const todo = pending;
      pending = [];
      await txHost.withTransaction(async () => {
        for (const x of todo) await applyOne(txHost, projector, x, result);
      });
    };
    for await (const msg of messages) {
      pending.push({ subject: msg.subject, body: msg.string() });
      const done = msg.info.streamSequence >= result.lastSeq;
      if (pending.length >= batch || done || msg.info.pending === 0) await flush();
      if (done) break;
    }
    messages.stop();
    log(
      `applied ${result.applied}, already applied ${result.duplicates}, skipped ${result.skipped} (not analytics', invalid or mismatched)`,
    );
    return result;
  } finally {
    result.ms = Date.now() - started;
    await nc.close();
    await ds.destroy();
  }
}

async function applyOne(
  txHost: TxHost,
  projector: FactsProjector,
  x: { subject: string; body: string },
  result: ReplayResult,
): Promise<void> {
  const subject = parseSubject(x.subject);
  const parsed = parseEvent(x.body);
  // What the live consumers dead-letter (invalid, or type and district not those of the subject) is not applied here either.
  if (
    !subject ||
    !parsed.ok ||
    !isEventType(subject.type) ||
    parsed.envelope.type !== subject.type ||
    parsed.envelope.district !== subject.district
  ) {
    result.skipped++;
    return;
  }
  const e = parsed.envelope;
  const inserted: unknown[] = await txHost.tx.query(
    `INSERT INTO inbox (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING event_id`,
    [durableName('analytics', e.type), e.id],
  );
  if (!inserted.length) {
    result.duplicates++;
    return;
  }
  await projector.project(e);
  result.applied++;
}
