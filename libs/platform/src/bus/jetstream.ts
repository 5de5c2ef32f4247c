import { Logger } from '@nestjs/common';
import {
  connect,
  ErrorCode,
  Events,
  DiscardPolicy,
  JetStreamManager,
  JetStreamOptions,
  NatsConnection,
  NatsError,
  nanos,
  RetentionPolicy,
  StorageType,
} from 'nats';

/**
 * Every NATS connection of a service (the bus's, the request/reply server's, a query client's)
 * reconnects forever: nats.js's default gives up after 10 attempts (about 20 s) and leaves the
 * connection closed for good, a service that answers no more queries until restarted.
 */
export const NATS_RECONNECT = { maxReconnectAttempts: -1, reconnectTimeWait: 500, pingInterval: 10_000, waitOnFirstConnect: true } as const;

export async function connectNats(url: string, name: string): Promise<NatsConnection> {
  const nc = await connect({ servers: url.split(','), name, ...NATS_RECONNECT });
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

/** Options for `nc.jetstream()` / `nc.jetstreamManager()`: the API of `domain` (BUS_JS_DOMAIN), or the local one. */
export function jetStreamOptions(domain: string | undefined): JetStreamOptions {
  return domain ? { domain } : {};
}

/**
 * The error a service stops with when it cannot reach JetStream at boot. A 503 (no responders) is
 * what a client behind a NATS leaf node gets without the hub's JetStream domain, or with a wrong
 * one: say so rather than only "503".
 */
export function jetStreamBootError(e: unknown, url: string, domain: string | undefined): Error {
  if (!(e instanceof NatsError) || e.code !== String(ErrorCode.NoResponders)) return e as Error;
  const where = domain ? `JetStream domain "${domain}"` : 'JetStream (no BUS_JS_DOMAIN)';
  const hint = domain
    ? 'check BUS_JS_DOMAIN against the JetStream domain of the hub and that the leaf node is linked to it'
    : "behind a NATS leaf node, set BUS_JS_DOMAIN to the hub's JetStream domain";
  return new Error(`${where} did not answer on ${url} (503 no responders): ${hint}`, { cause: e });
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
