import { Logger } from '@nestjs/common';
import { connect, Events, DiscardPolicy, JetStreamManager, NatsConnection, nanos, RetentionPolicy, StorageType } from 'nats';

export async function connectNats(url: string, name: string): Promise<NatsConnection> {
  const nc = await connect({
    servers: url.split(','),
    name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    pingInterval: 10_000,
    waitOnFirstConnect: true,
  });
  const log = new Logger('Nats');
  void (async () => {
    for await (const s of nc.status()) {
      if ([Events.Disconnect, Events.Reconnect, Events.Error].includes(s.type as Events)) {
        log.warn({ msg: `nats ${s.type}`, data: JSON.stringify(s.data) });
      }
    }
  })();
  return nc;
}

/**
 * Create the stream that holds every event, or leave it as it is. Idempotent, so every service may
 * call it at boot. Duplicate window: a re-publish by the outbox relay within it is dropped.
 */
export async function ensureStream(jsm: JetStreamManager, name: string, prefix: string): Promise<void> {
  const subjects = [`${prefix}.>`];
  try {
    const info = await jsm.streams.info(name);
    if (!info.config.subjects?.includes(subjects[0])) {
      await jsm.streams.update(name, { ...info.config, subjects: [...(info.config.subjects ?? []), ...subjects] });
    }
  } catch (e) {
    if (!String((e as Error).message).includes('stream not found')) throw e;
    await jsm.streams.add({
      name,
      subjects,
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
      discard: DiscardPolicy.Old,
      duplicate_window: nanos(10 * 60 * 1000),
      // Keep everything: analytics rebuilds its read model by replaying from the beginning.
      max_age: 0,
    });
  }
}
