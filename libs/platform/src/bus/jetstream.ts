import { Logger } from '@nestjs/common';
import {
  connect,
  ConnectionOptions,
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

/** What a NATS connection of a service needs from its configuration. */
export type NatsAuthConfig = { NATS_URL: string; NATS_USER?: string; NATS_PASSWORD?: string; NATS_TLS_CA_FILE?: string };

/**
 * The inbox prefix of a NATS user: replies (query answers, JetStream API answers, pulled messages)
 * travel on `_INBOX_<user>.>`, which only that user may subscribe to (deploy/nats), so nobody else
 * can listen in on them.
 */
export function inboxPrefixOf(user: string | undefined): string | undefined {
  return user ? `_INBOX_${user}` : undefined;
}

/**
 * The connection options of every NATS connection of a service (the bus, the query server, query
 * clients, the console's live feed, the analytics replay): servers, this service's user and
 * password, TLS when a CA is configured, its own inbox prefix, reconnecting forever.
 */
export function natsConnectionOptions(c: NatsAuthConfig, name: string): ConnectionOptions {
  return {
    servers: c.NATS_URL.split(','),
    name,
    ...(c.NATS_USER ? { user: c.NATS_USER, pass: c.NATS_PASSWORD, inboxPrefix: inboxPrefixOf(c.NATS_USER) } : {}),
    ...(c.NATS_TLS_CA_FILE ? { tls: { caFile: c.NATS_TLS_CA_FILE } } : {}),
    ...NATS_RECONNECT,
    // nats.js builds an Error for every request (each JetStream publish, pull and API call) to give a
    // later timeout the caller's stack: about half the client's CPU of a publish (bench/nats-publish.bench.ts).
    // A NATS error still says what failed (its code and message); only that async stack is gone.
    noAsyncTraces: true,
  };
}

export async function connectNats(c: NatsAuthConfig, name: string): Promise<NatsConnection> {
  const nc = await connect(natsConnectionOptions(c, name));
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
