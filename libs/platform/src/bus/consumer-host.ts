import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { EventEnvelope, EventType, subjectFilter } from '@app/contracts';
import {
  AckPolicy,
  ConsumerConfig,
  ConsumerMessages,
  DeliverPolicy,
  JetStreamClient,
  JetStreamManager,
  JsMsg,
  NatsConnection,
  nanos,
} from 'nats';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { runWithTrace, traceFromHeader } from '../logging/trace';
import { FieldError } from '../http/validation';
import { BUS_OPTIONS, BusOptions, EVENT_HANDLER_METADATA, EventHandlerMeta, NATS_CONNECTION } from './bus.tokens';
import { DeadLetterRecord, InboxRecord } from './bus.entities';
import { parseEvent } from './event-validation';
import { jetStreamOptions } from './jetstream';
import { BusMetrics } from './bus.metrics';

export interface HandlerContext {
  /** The transaction the effect must be written in (with the inbox row and any outbox events). */
  manager: EntityManager;
  /** 1 on first delivery. */
  delivery: number;
}

export type EventHandlerFn = (event: EventEnvelope<object>, ctx: HandlerContext) => Promise<void>;

interface Registration {
  /** Durable consumer name, unique per service, event type and (for district nodes) district. */
  durable: string;
  filter: string;
  type: EventType;
  handler: EventHandlerFn;
  /** Messages of this consumer being handled now (at most BUS_CONCURRENCY). */
  inFlight: Set<Promise<void>>;
  /** The current pull subscription (replaced when the loop restarts). */
  messages?: ConsumerMessages;
}

/** Raised by a handler for an event that can never apply (not a transient failure): dead-letter at once. */
export class PermanentEventError extends Error {}

export function durableName(service: string, type: string, district?: string): string {
  return `${service}${district ? `-${district}` : ''}__${type.replace(/\./g, '_')}`;
}

/**
 * Why a valid event may not go to this consumer: its envelope names another type than the consumer's,
 * or another district than the subject it travelled on. Checked on delivery and on replay alike.
 */
function misrouted(r: Registration, envelope: EventEnvelope<object>, subject: string): string | undefined {
  if (envelope.type === r.type && subject.endsWith(`.${envelope.district}.${r.type}`)) return undefined;
  return `envelope says ${envelope.type} in ${envelope.district}; subject is ${subject}`;
}

/**
 * Finds every `@OnEvent` method, gives each a durable pull consumer on the stream, and runs it:
 * validate → (inbox row + handler effect) in one transaction → ack. Invalid messages are
 * dead-lettered at once; failing handlers are nak'ed with exponential delay and dead-lettered on
 * their last delivery. On shutdown the consumers stop pulling and in-flight messages finish.
 */
@Injectable()
export class ConsumerHost implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger(ConsumerHost.name);
  private readonly registrations: Registration[] = [];
  private readonly loops: Promise<void>[] = [];
  private stopped = false;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(BUS_OPTIONS) private readonly options: BusOptions,
    private readonly metrics: BusMetrics,
  ) {}

  get consumers(): readonly Registration[] {
    return this.registrations;
  }

  async onApplicationBootstrap(): Promise<void> {
    this.discover();
    const opts = jetStreamOptions(this.options.jsDomain);
    const jsm = await this.nc.jetstreamManager(opts);
    for (const r of this.registrations) {
      await this.ensureConsumer(jsm, r);
    }
    const js = this.nc.jetstream(opts);
    for (const r of this.registrations) {
      this.loops.push(this.keepConsuming(js, jsm, r));
    }
    this.log.log({ msg: 'consumers started', consumers: this.registrations.map((r) => r.durable) });
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    for (const r of this.registrations) r.messages?.stop();
    await Promise.allSettled(this.loops);
    await Promise.allSettled(this.registrations.flatMap((r) => [...r.inFlight]));
  }

  /**
   * Apply a raw message body with the handler of `durable` (used by dead-letter replay): the same
   * validation, inbox and transaction as a delivery. Throws with the reasons when it cannot apply.
   */
  async applyRaw(durable: string, subject: string, body: string, headers: Record<string, string>): Promise<'applied' | 'duplicate'> {
    const r = this.registrations.find((x) => x.durable === durable);
    if (!r) throw new PermanentEventError(`no consumer ${durable} in this service`);
    const parsed = parseEvent(body);
    if (!parsed.ok) throw new PermanentEventError(JSON.stringify(parsed.errors));
    const misrouting = misrouted(r, parsed.envelope, subject);
    if (misrouting) throw new PermanentEventError(misrouting);
    return runWithTrace(traceFromHeader(headers.traceparent), () => this.apply(r, parsed.envelope, 1));
  }

  private discover(): void {
    const wanted = this.options.districts;
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
      const proto = Object.getPrototypeOf(instance) as object;
      for (const method of this.scanner.getAllMethodNames(proto)) {
        const fn = instance[method];
        if (typeof fn !== 'function') continue;
        const meta = this.reflector.get<EventHandlerMeta | undefined>(EVENT_HANDLER_METADATA, fn);
        if (!meta) continue;
        const handler = (fn as EventHandlerFn).bind(instance);
        const districts: (string | undefined)[] = wanted.length ? wanted : [undefined];
        for (const type of meta.types) {
          for (const d of districts) {
            const durable = durableName(this.options.service, type, d);
            if (this.registrations.some((x) => x.durable === durable)) {
              throw new Error(`two handlers for ${type} in ${this.options.service}`);
            }
            this.registrations.push({
              durable,
              type,
              handler,
              filter: subjectFilter(this.options.prefix, d ?? '*', type),
              inFlight: new Set(),
            });
          }
        }
      }
    }
  }

  private async ensureConsumer(jsm: JetStreamManager, r: Registration): Promise<void> {
    const config: Partial<ConsumerConfig> = {
      durable_name: r.durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: this.options.newConsumersFrom === 'new' ? DeliverPolicy.New : DeliverPolicy.All,
      filter_subject: r.filter,
      max_deliver: this.options.maxDeliver,
      ack_wait: nanos((this.options.ackWaitSeconds ?? 30) * 1000),
      max_ack_pending: this.options.concurrency * 4,
    };
    try {
      await jsm.consumers.info(this.options.stream, r.durable);
      await jsm.consumers.update(this.options.stream, r.durable, {
        max_deliver: config.max_deliver,
        ack_wait: config.ack_wait,
        max_ack_pending: config.max_ack_pending,
      });
    } catch (e) {
      if (!String((e as Error).message).includes('consumer not found')) throw e;
      await jsm.consumers.add(this.options.stream, config);
    }
  }

  /** Pull and handle until shutdown; if the pull loop ends on its own (consumer deleted, ...), start it again. */
  private async keepConsuming(js: JetStreamClient, jsm: JetStreamManager, r: Registration): Promise<void> {
    while (!this.stopped) {
      try {
        const consumer = await js.consumers.get(this.options.stream, r.durable);
        // abort_on_missing_resource: a deleted durable (or stream) ends the pull loop, so the catch below
        // creates it again; by default nats.js would keep waiting for it to come back on its own.
        r.messages = await consumer.consume({ max_messages: this.options.concurrency * 2, abort_on_missing_resource: true });
        await this.run(r, r.messages);
        if (this.stopped) return;
        this.log.error({ msg: 'consumer loop ended; restarting', consumer: r.durable });
      } catch (e) {
        if (this.stopped) return;
        this.log.error({ msg: 'consumer failed; restarting', consumer: r.durable, err: (e as Error).message });
        // The durable may be gone (deleted by an operator): create it again.
        await this.ensureConsumer(jsm, r).catch(() => undefined);
      }
      await new Promise((res) => setTimeout(res, 1000));
    }
  }

  private async run(r: Registration, messages: ConsumerMessages): Promise<void> {
    const slots = this.options.concurrency;
    for await (const m of messages) {
      while (r.inFlight.size >= slots) await Promise.race(r.inFlight);
      const p = this.handle(r, m).finally(() => r.inFlight.delete(p));
      r.inFlight.add(p);
      if (this.stopped) break;
    }
  }

  private async handle(r: Registration, m: JsMsg): Promise<void> {
    const headers: Record<string, string> = {};
    for (const k of m.headers?.keys() ?? []) headers[k] = m.headers!.get(k);
    const trace = traceFromHeader(headers.traceparent);
    await runWithTrace(trace, async () => {
      const body = m.string();
      const delivery = m.info.deliveryCount;
      const parsed = parseEvent(body);
      if (!parsed.ok) {
        await this.deadLetter(r, m, body, headers, parsed.reason, parsed.errors, parsed.partial?.id, parsed.partial?.type);
        return;
      }
      const misrouting = misrouted(r, parsed.envelope, m.subject);
      if (misrouting) {
        await this.deadLetter(
          r,
          m,
          body,
          headers,
          'type_mismatch',
          [{ field: 'type', reason: misrouting }],
          parsed.envelope.id,
          parsed.envelope.type,
        );
        return;
      }
      const end = this.metrics.handlerSeconds.startTimer({ consumer: r.durable });
      try {
        const outcome = await this.apply(r, parsed.envelope, delivery);
        m.ack();
        this.metrics.consumed.inc({ consumer: r.durable, outcome });
      } catch (e) {
        const err = e as Error;
        if (e instanceof PermanentEventError || delivery >= this.options.maxDeliver) {
          await this.deadLetter(
            r,
            m,
            body,
            headers,
            'handler_failed',
            [{ field: '', reason: err.message }],
            parsed.envelope.id,
            parsed.envelope.type,
          );
          return;
        }
        const delay = Math.min((this.options.backoffBaseMs ?? 500) * 2 ** (delivery - 1), this.options.backoffMaxMs ?? 60_000);
        this.log.warn({
          msg: 'handler failed; retrying',
          consumer: r.durable,
          eventId: parsed.envelope.id,
          delivery,
          delayMs: delay,
          err: err.message,
        });
        m.nak(delay);
        this.metrics.consumed.inc({ consumer: r.durable, outcome: 'retried' });
      } finally {
        end();
      }
    });
  }

  private async apply(r: Registration, envelope: EventEnvelope<object>, delivery: number): Promise<'applied' | 'duplicate'> {
    return this.dataSource.transaction(async (manager) => {
      const inserted = await manager
        .createQueryBuilder()
        .insert()
        .into(InboxRecord)
        .values({ consumer: r.durable, eventId: envelope.id })
        .orIgnore()
        .returning(['event_id'])
        .execute();
      if ((inserted.raw as unknown[]).length === 0) return 'duplicate';
      await r.handler(envelope, { manager, delivery });
      return 'applied';
    });
  }

  private async deadLetter(
    r: Registration,
    m: JsMsg,
    body: string,
    headers: Record<string, string>,
    reason: string,
    errors: FieldError[],
    eventId?: string,
    eventType?: string,
  ): Promise<void> {
    try {
      await this.dataSource.getRepository(DeadLetterRecord).insert({
        id: randomUUID(),
        consumer: r.durable,
        subject: m.subject,
        streamSeq: String(m.seq),
        eventId: typeof eventId === 'string' ? eventId : null,
        eventType: typeof eventType === 'string' ? eventType : null,
        payload: body,
        headers,
        reason,
        errors,
        deliveries: m.info.deliveryCount,
      });
    } catch (e) {
      // Could not keep it: let the server deliver it again rather than lose it.
      this.log.error({ msg: 'dead-letter write failed; will retry', consumer: r.durable, err: (e as Error).message });
      m.nak(5000);
      return;
    }
    this.log.warn({ msg: 'event dead-lettered', consumer: r.durable, reason, errors, subject: m.subject });
    m.term();
    this.metrics.consumed.inc({ consumer: r.durable, outcome: 'dead_lettered' });
  }
}
