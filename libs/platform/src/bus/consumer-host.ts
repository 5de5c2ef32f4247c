import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { addresseeOf, ADDRESSED_EVENTS, EventEnvelope, EventType, senderOf, subjectFilter } from '@app/contracts';
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
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { Propagation, TransactionHost } from '@nestjs-cls/transactional';
import { TxHost } from '../database/transactions';
import { inConsumerTrace } from '../logging/trace';
import { FieldError } from '../http/validation';
import {
  BUS_OPTIONS,
  BusOptions,
  DATABASE_CIRCUIT,
  EVENT_HANDLER_METADATA,
  EventHandlerMeta,
  HANDLER_BUDGET,
  NATS_CONNECTION,
} from './bus.tokens';
import { DeadLetterRecord } from './bus.entities';
import { classifyFailure, EarlyEventError, PermanentEventError } from './bus-errors';
import { DEFAULT_MAX_EVENT_BYTES, parseEvent, parseEventBytes, storable } from './event-validation';
import { HandlerBudget } from './handler-budget';
import { DatabaseCircuit } from '../database/database-circuit';
import { jetStreamOptions } from './jetstream';
import { BusMetrics } from './bus.metrics';
import { BatchScope } from './batch-scope';

/**
 * What a handler gets besides its event. It runs inside the transaction that holds the inbox row:
 * repositories (`txHost.tx`) and `Outbox.publish` join it by themselves.
 */
export interface HandlerContext {
  /** 1 on first delivery. */
  delivery: number;
  /** The batch the message is applied in (a batch of one when it goes alone): work to leave for its end. */
  batch: BatchScope;
}

export { BatchScope, BatchWork, BatchWorkKey, Collected } from './batch-scope';

export { EarlyEventError, PermanentEventError } from './bus-errors';

export type EventHandlerFn = (event: EventEnvelope, ctx: HandlerContext) => Promise<void>;

interface Registration {
  /** Durable consumer name, unique per service, event type and (for district nodes) district. */
  durable: string;
  filter: string;
  type: EventType;
  handler: EventHandlerFn;
  /** Messages pulled and not yet taken into a batch, in delivery order. */
  queue: JsMsg[];
  /** This consumer's batch workers (at most BUS_CONCURRENCY), each applying one batch at a time. */
  workers: Set<Promise<void>>;
  /** Workers waiting for a slot of the handler budget (each takes a batch from the queue once it has one). */
  waiting: number;
  /** A pump is scheduled for the end of this turn of the event loop. */
  pumpScheduled: boolean;
  /** When each message of the queue arrived (performance.now()): a lingering batch waits from its oldest's. */
  arrivals: number[];
  /** The pump that ends the linger of a batch that is not full (BUS_BATCH_LINGER_MS). */
  lingerTimer?: NodeJS.Timeout;
  /** The current pull subscription (replaced when the loop restarts). */
  messages?: ConsumerMessages;
}

/** A valid message of a batch, with its envelope and its headers (for the trace). */
interface Delivered {
  m: JsMsg;
  headers: Record<string, string>;
  envelope: EventEnvelope;
}

/** The handler of a batch's `index`-th message threw `cause`; the batch's transaction rolled back. */
class BatchItemFailure extends Error {
  constructor(
    readonly index: number,
    override readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

/** Default of BUS_BATCH: the most messages of one consumer applied in one transaction (1: batches off). */
export const DEFAULT_BUS_BATCH = 1;

/**
 * How many failing messages a batch sets aside (classified by the error their handler raised in
 * it) before the rest is applied one message per transaction, as without batches: each one set
 * aside re-runs the handlers before it, so a batch full of failures must not cost n² handler runs.
 */
const MAX_SET_ASIDE = 3;

/** SQLSTATE 25P02: a statement ran in a transaction an earlier statement had already failed. */
function inFailedTransaction(e: unknown, depth = 0): boolean {
  if (!e || typeof e !== 'object' || depth > 5) return false;
  const err = e as { code?: unknown; driverError?: unknown; cause?: unknown };
  return err.code === '25P02' || inFailedTransaction(err.driverError, depth + 1) || inFailedTransaction(err.cause, depth + 1);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Each header's first value, as `MsgHdrs.get` answers it (without its search of every key for each key). */
function headersOf(m: JsMsg): Record<string, string> {
  const headers: Record<string, string> = {};
  if (!m.headers) return headers;
  for (const [k, values] of m.headers) headers[k] = values[0];
  return headers;
}

export function durableName(service: string, type: string, district?: string): string {
  return `${service}${district ? `-${district}` : ''}__${type.replace(/\./g, '_')}`;
}

/**
 * Why a valid event may not go to this consumer: its envelope names another type than the consumer's,
 * or another district than the subject it travelled on. Checked on delivery and on replay alike.
 */
function misrouted(r: Registration, envelope: EventEnvelope, subject: string): string | undefined {
  if (envelope.type !== r.type || !subject.endsWith(`.${envelope.district}.${r.type}`)) {
    return `envelope says ${envelope.type} in ${envelope.district}; subject is ${subject}`;
  }
  const from = senderOf(r.type, envelope.data);
  if (from !== undefined && from !== envelope.district) return `sent under district ${envelope.district} for an order of ${from}`;
  return undefined;
}

/** How long a message held while the database is unreachable stays away before it may come back. */
const PAUSED_NAK_MS = 1000;

function storableErrors(errors: FieldError[]): FieldError[] {
  return errors.slice(0, 50).map((e) => ({ field: storable(String(e.field), 300), reason: storable(String(e.reason)) }));
}

/** A string from an untrusted envelope, if it is one Postgres can keep as it is; else null. */
function storableOrNull(v: unknown, max = 200): string | null {
  return typeof v === 'string' && v.length <= max && storable(v, max) === v ? v : null;
}

/**
 * Finds every `@OnEvent` method, gives each a durable pull consumer on the stream, and runs it:
 * validate → (inbox row + handler effect) in one transaction → ack. What the pull has delivered
 * when a worker gets its slot is applied as one batch (up to BUS_BATCH messages, never waited for):
 * one transaction with every inbox row and every handler's effect, one commit, then an ack each; a
 * failing message is set aside and the rest applied again (handleBatch). What can leave the stream is
 * only an applied event or a dead letter:
 * - invalid messages (oversized, not UTF-8, not JSON, bad envelope or payload, misrouted) are
 *   dead-lettered at once, raw bytes and validation errors kept;
 * - a handler that fails is nak'ed with exponential delay and dead-lettered at its BUS_MAX_DELIVER-th
 *   failure, counted in `delivery_attempt` (the durable has no max_deliver of its own, so the
 *   server never drops a message silently);
 * - an early event (EarlyEventError) waits, nak'ed with delay, bounded by time, not by deliveries;
 * - a failure of the database itself counts against nothing: the message is nak'ed, the circuit
 *   opens and every consumer stops pulling until the database answers again;
 * - a dead letter that cannot be written is nak'ed too, so it comes back until it can.
 * Each batch holds one slot of the process's handler budget (HandlerBudget, below the pool size);
 * a consumer runs at most BUS_CONCURRENCY batches at once. On shutdown the consumers stop pulling,
 * batches being applied finish, and messages pulled but not started are given back (nak).
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
    @Inject(DATABASE_CIRCUIT) private readonly circuit: DatabaseCircuit,
    @Inject(HANDLER_BUDGET) private readonly budget: HandlerBudget,
    @Inject(TransactionHost) private readonly txHost: TxHost,
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
    for (const r of this.registrations) {
      r.messages?.stop();
      clearTimeout(r.lingerTimer);
    }
    // Loops paused on an open circuit wake up and see `stopped`.
    await this.circuit.dispose();
    await Promise.allSettled(this.loops);
    // Batches being applied finish; none is started after this.
    await Promise.allSettled(this.registrations.flatMap((r) => [...r.workers]));
    // What was pulled but not started goes back at once (uncounted), for another instance or the next start.
    for (const r of this.registrations) {
      r.arrivals.length = 0;
      for (const m of r.queue.splice(0)) this.giveBack(m, 0);
    }
  }

  /**
   * Apply a raw message body with the handler of `durable` (used by dead-letter replay): the same
   * validation, inbox and transaction as a delivery. Throws with the reasons when it cannot apply.
   */
  async applyRaw(
    durable: string,
    subject: string,
    body: Uint8Array | string,
    headers: Record<string, string>,
  ): Promise<'applied' | 'duplicate'> {
    const r = this.registrations.find((x) => x.durable === durable);
    if (!r) throw new PermanentEventError(`no consumer ${durable} in this service`);
    const parsed = typeof body === 'string' ? parseEvent(body) : parseEventBytes(body, this.maxEventBytes);
    if (!parsed.ok) throw new PermanentEventError(JSON.stringify(parsed.errors));
    const misrouting = misrouted(r, parsed.envelope, subject);
    if (misrouting) throw new PermanentEventError(misrouting);
    return inConsumerTrace(headers, `${subject} replay`, consumerSpanAttributes(r.durable, subject), () =>
      this.apply(r, parsed.envelope, 2),
    );
  }

  private get maxEventBytes(): number {
    return this.options.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES;
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
            // An addressed type (ticket.redistricted.v1) travels under its sender's district: a district
            // node reads it from every district and applies only what is addressed to its own.
            const addressed = d !== undefined && ADDRESSED_EVENTS[type] !== undefined;
            this.registrations.push({
              durable,
              type,
              handler: addressed ? (e, ctx) => (addresseeOf(type, e.data) === d ? handler(e, ctx) : Promise.resolve()) : handler,
              filter: subjectFilter(this.options.prefix, addressed ? '*' : (d ?? '*'), type),
              queue: [],
              workers: new Set(),
              waiting: 0,
              pumpScheduled: false,
              arrivals: [],
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
      // Unlimited: when a server-side max_deliver runs out, JetStream stops delivering the message
      // and nobody learns of it. The service counts handler failures itself (delivery_attempt) and
      // dead-letters at BUS_MAX_DELIVER, so a message leaves only applied or dead-lettered.
      max_deliver: -1,
      ack_wait: nanos((this.options.ackWaitSeconds ?? 30) * 1000),
      // Enough unacknowledged messages for every worker's batch (and at least the four per worker of old).
      max_ack_pending: this.options.concurrency * Math.max(4, this.batchSize),
    };
    try {
      await jsm.consumers.info(this.options.stream, r.durable);
      await jsm.consumers.update(this.options.stream, r.durable, {
        filter_subject: config.filter_subject,
        max_deliver: config.max_deliver,
        ack_wait: config.ack_wait,
        max_ack_pending: config.max_ack_pending,
      });
    } catch (e) {
      if (!String((e as Error).message).includes('consumer not found')) throw e;
      await jsm.consumers.add(this.options.stream, config);
    }
  }

  /**
   * Pull and handle until shutdown. While the database circuit is open, do not pull at all. If the
   * pull loop ends on its own (consumer deleted, ...), start it again.
   */
  private async keepConsuming(js: JetStreamClient, jsm: JetStreamManager, r: Registration): Promise<void> {
    while (!this.stopped) {
      try {
        await this.circuit.whenClosed();
        if (this.stopped) return;
        const consumer = await js.consumers.get(this.options.stream, r.durable);
        // abort_on_missing_resource: a deleted durable (or stream) ends the pull loop, so the catch below
        // creates it again; by default nats.js would keep waiting for it to come back on its own.
        r.messages = await consumer.consume({
          max_messages: Math.max(this.options.concurrency * 2, this.batchSize),
          abort_on_missing_resource: true,
        });
        const messages = r.messages;
        const unsubscribe = this.circuit.onOpen(() => messages.stop());
        try {
          await this.run(r, messages);
        } finally {
          unsubscribe();
        }
        if (this.stopped) return;
        if (this.circuit.isOpen) continue; // paused: resume when the database answers
        this.log.error({ msg: 'consumer loop ended; restarting', consumer: r.durable });
      } catch (e) {
        if (this.stopped) return;
        this.log.error({ msg: 'consumer failed; restarting', consumer: r.durable, err: (e as Error).message });
        // The durable may be gone (deleted by an operator): create it again.
        await this.ensureConsumer(jsm, r).catch(() => undefined);
      }
      await sleep(1000);
    }
  }

  /**
   * Take what the pull delivers into the consumer's queue; batch workers apply it. Nothing waits for
   * a batch to fill: a worker takes what has arrived when it gets its slot, so an idle bus applies a
   * single message at once and a busy one applies larger batches.
   */
  private async run(r: Registration, messages: ConsumerMessages): Promise<void> {
    for await (const m of messages) {
      if (this.circuit.isOpen) {
        // Already pulled when the database went: give it back, uncounted, for after the outage.
        this.pause(r, m);
        continue;
      }
      r.queue.push(m);
      r.arrivals.push(performance.now());
      this.schedulePump(r);
      if (this.stopped) break;
    }
  }

  private get batchSize(): number {
    return this.options.batch ?? DEFAULT_BUS_BATCH;
  }

  /**
   * Start workers at the end of this turn of the event loop, when every message the last read from
   * the socket carried is in the queue (so that they go into one batch, not one each).
   */
  private schedulePump(r: Registration): void {
    if (r.pumpScheduled) return;
    r.pumpScheduled = true;
    setImmediate(() => {
      r.pumpScheduled = false;
      this.pump(r);
    });
  }

  /**
   * Enough workers for the queue: one per batch's worth of messages not yet promised to a waiting
   * worker; none while a batch that is not full lingers.
   */
  private pump(r: Registration): void {
    if (this.lingering(r)) return;
    while (!this.stopped && r.workers.size < this.options.concurrency && r.waiting * this.batchSize < r.queue.length) {
      const w: Promise<void> = this.work(r).finally(() => r.workers.delete(w));
      r.workers.add(w);
    }
  }

  /**
   * Whether the queue is a batch that is not full and may still wait for company (BUS_BATCH_LINGER_MS
   * from its oldest message's arrival); if so, a pump is set for the end of the wait. A full batch,
   * or the wait over, and the queue is applied at once.
   */
  private lingering(r: Registration): boolean {
    const linger = this.options.lingerMs ?? 0;
    const left = r.arrivals[0] + linger - performance.now();
    if (linger <= 0 || this.stopped || r.queue.length === 0 || r.queue.length >= this.batchSize || left <= 0) {
      clearTimeout(r.lingerTimer);
      r.lingerTimer = undefined;
      return false;
    }
    r.lingerTimer ??= setTimeout(() => {
      r.lingerTimer = undefined;
      this.pump(r);
    }, Math.ceil(left));
    return true;
  }

  /**
   * One worker: a budget slot, then a batch of what is queued (up to BUS_BATCH), until the queue is
   * empty or what is left lingers.
   */
  private async work(r: Registration): Promise<void> {
    while (!this.stopped && r.queue.length > 0 && !this.lingering(r)) {
      r.waiting++;
      let release: () => void;
      try {
        release = await this.slot(r);
      } finally {
        r.waiting--;
      }
      try {
        const batch = r.queue.splice(0, this.batchSize);
        r.arrivals.splice(0, batch.length);
        if (batch.length > 0) await this.handleBatch(r, batch);
      } catch (e) {
        // handleBatch settles every message itself; this is a bug, and the messages come back after ack_wait.
        this.log.error({ msg: 'batch failed unexpectedly', consumer: r.durable, err: (e as Error).message });
      } finally {
        release();
      }
    }
  }

  /** A slot of the process-wide budget; while waiting, tell the server the queued messages are being worked on. */
  private async slot(r: Registration): Promise<() => void> {
    const every = Math.max(500, ((this.options.ackWaitSeconds ?? 30) * 1000) / 3);
    const heartbeat = setInterval(() => {
      for (const m of r.queue) {
        try {
          m.working();
        } catch {
          // The connection is gone: the server redelivers after ack_wait, as for any unacknowledged message.
        }
      }
    }, every);
    try {
      return await this.budget.acquire();
    } finally {
      clearInterval(heartbeat);
    }
  }

  private pause(r: Registration, m: JsMsg): void {
    this.giveBack(m, PAUSED_NAK_MS);
    this.metrics.consumed.inc({ consumer: r.durable, outcome: 'paused' });
  }

  private giveBack(m: JsMsg, delayMs: number): void {
    try {
      m.nak(delayMs);
    } catch {
      // No connection: unacknowledged, it comes back after ack_wait.
    }
  }

  /**
   * Apply a batch of one consumer's messages: the invalid ones dead-lettered at once; the valid
   * ones in ONE transaction (their inbox rows in one statement, duplicates skipped, the handlers one
   * after the other in delivery order), then acked. If a handler throws, the transaction rolls back
   * (nothing of the batch stays), that message is classified by its own error as it would be alone
   * (early, permanent, retried with its count), and the others are applied again without it. A
   * failure nobody's handler can be blamed for (deadlock, the commit, a statement in an aborted
   * transaction), or more than MAX_SET_ASIDE failures, and the rest is applied one message per
   * transaction, the path of a lone message. The database unreachable: every message back, uncounted.
   */
  private async handleBatch(r: Registration, msgs: JsMsg[]): Promise<void> {
    if (this.circuit.isOpen) {
      for (const m of msgs) this.pause(r, m);
      return;
    }
    const valid: Delivered[] = [];
    for (const m of msgs) {
      const headers = headersOf(m);
      const envelope = await this.validated(r, m, headers);
      if (envelope) valid.push({ m, headers, envelope });
    }
    if (valid.length > 0) this.metrics.batchMessages.observe({ consumer: r.durable }, valid.length);
    // Every batch takes its row locks in the same order (district, then order): two batches of one
    // consumer writing the same per-district rows (analytics' daily counters) then queue instead of
    // deadlocking. The events of one order keep their stream order (the sort is stable) even when
    // their districts differ: an order moved to another district has events under both (a
    // ticket.redistricted.v1 travels under its sender's), so an order is placed by the district of
    // its first event in the batch.
    const placed = new Map<string, string>();
    for (const { envelope: e } of valid) if (e.ticketId && !placed.has(e.ticketId)) placed.set(e.ticketId, e.district);
    const place = ({ envelope: e }: Delivered): string => (e.ticketId && placed.get(e.ticketId)) || e.district;
    valid.sort((a, b) => compare(place(a), place(b)) || compare(a.envelope.ticketId ?? '', b.envelope.ticketId ?? ''));
    let pending = valid;
    for (let setAside = 0; pending.length > 1; setAside++) {
      const started = performance.now();
      let outcomes: ('applied' | 'duplicate')[];
      try {
        outcomes = await this.applyBatch(r, pending);
      } catch (e) {
        const item = e instanceof BatchItemFailure ? e : undefined;
        const cause = item ? item.cause : e;
        const kind = classifyFailure(cause);
        if (kind === 'unreachable') {
          for (const d of pending) this.infrastructureFailed(r, d.m, kind, cause as Error, d.envelope.id);
          return;
        }
        if (!item || kind || inFailedTransaction(cause) || setAside >= MAX_SET_ASIDE) {
          this.log.warn({
            msg: 'batch failed; applying its messages one by one',
            consumer: r.durable,
            messages: pending.length,
            err: (cause as Error)?.message,
          });
          this.metrics.batchFallbacks.inc({ consumer: r.durable, kind: 'one_by_one' });
          break;
        }
        const bad = pending[item.index];
        this.metrics.batchFallbacks.inc({ consumer: r.durable, kind: 'set_aside' });
        await inConsumerTrace(bad.headers, `${bad.m.subject} process`, consumerSpanAttributes(r.durable, bad.m.subject), () =>
          this.failed(r, bad.m, bad.headers, bad.envelope, cause),
        );
        pending = pending.filter((_, i) => i !== item.index);
        continue;
      }
      // One observation per message: its share of the batch's time.
      const seconds = (performance.now() - started) / 1000 / pending.length;
      for (let i = 0; i < pending.length; i++) {
        pending[i].m.ack();
        this.metrics.consumed.inc({ consumer: r.durable, outcome: outcomes[i] });
        this.metrics.handlerSeconds.observe({ consumer: r.durable }, seconds);
      }
      return;
    }
    for (const d of pending) await this.handleOne(r, d);
  }

  /** The envelope of a valid message for this consumer; an invalid or misrouted one is dead-lettered. */
  private async validated(r: Registration, m: JsMsg, headers: Record<string, string>): Promise<EventEnvelope | undefined> {
    const parsed = parseEventBytes(m.data, this.maxEventBytes);
    const deadLetter = (reason: string, errors: FieldError[], id?: unknown, type?: unknown) =>
      inConsumerTrace(headers, `${m.subject} process`, consumerSpanAttributes(r.durable, m.subject), () =>
        this.deadLetter(r, m, headers, reason, errors, id, type),
      );
    if (!parsed.ok) {
      await deadLetter(parsed.reason, parsed.errors, parsed.partial?.id, parsed.partial?.type);
      return undefined;
    }
    const envelope = parsed.envelope;
    const misrouting = misrouted(r, envelope, m.subject);
    if (misrouting) {
      await deadLetter('type_mismatch', [{ field: 'type', reason: misrouting }], envelope.id, envelope.type);
      return undefined;
    }
    return envelope;
  }

  /** One valid message in a transaction of its own: a lone message, or a batch applied one by one. */
  private async handleOne(r: Registration, d: Delivered): Promise<void> {
    const { m, headers, envelope } = d;
    await inConsumerTrace(headers, `${m.subject} process`, consumerSpanAttributes(r.durable, m.subject), async () => {
      if (this.circuit.isOpen) {
        this.pause(r, m);
        return;
      }
      const end = this.metrics.handlerSeconds.startTimer({ consumer: r.durable });
      try {
        const outcome = await this.apply(r, envelope, m.info.deliveryCount);
        m.ack();
        this.metrics.consumed.inc({ consumer: r.durable, outcome });
      } catch (e) {
        await this.failed(r, m, headers, envelope, e);
      } finally {
        end();
      }
    });
  }

  /** Decide what a failed application means for the message: wait, retry, or dead-letter. */
  private async failed(r: Registration, m: JsMsg, headers: Record<string, string>, envelope: EventEnvelope, e: unknown): Promise<void> {
    const err = e instanceof Error ? e : new Error(String(e));
    const infra = classifyFailure(e);
    if (infra) {
      this.infrastructureFailed(r, m, infra, err, envelope.id);
      return;
    }
    if (e instanceof PermanentEventError) {
      await this.deadLetter(r, m, headers, 'handler_failed', [{ field: '', reason: err.message }], envelope.id, envelope.type);
      return;
    }
    const delivery = m.info.deliveryCount;
    if (e instanceof EarlyEventError) {
      let waitedSeconds: number;
      try {
        waitedSeconds = await this.recordWaiting(r, envelope.id, err.message);
      } catch (x) {
        this.infrastructureFailed(r, m, classifyFailure(x) ?? 'transient', x as Error, envelope.id);
        return;
      }
      const horizon = this.options.earlyEventHorizonSeconds ?? 86_400;
      if (waitedSeconds >= horizon) {
        const reason = `waited ${Math.round(waitedSeconds)} s (BUS_EARLY_EVENT_HORIZON_SECONDS=${horizon}) for an earlier event that never came: ${err.message}`;
        await this.deadLetter(r, m, headers, 'earlier_event_missing', [{ field: '', reason }], envelope.id, envelope.type);
        return;
      }
      const delay = this.backoff(delivery);
      this.log.debug({
        msg: 'early event; waiting',
        consumer: r.durable,
        eventId: envelope.id,
        delivery,
        delayMs: delay,
        err: err.message,
      });
      m.nak(delay);
      this.metrics.consumed.inc({ consumer: r.durable, outcome: 'waiting' });
      return;
    }
    let failures: number;
    try {
      failures = await this.recordFailure(r, envelope.id, err.message);
    } catch (x) {
      // Not even the count could be written: the database, not the event. Uncounted.
      this.infrastructureFailed(r, m, classifyFailure(x) ?? 'transient', x as Error, envelope.id);
      return;
    }
    if (failures >= this.options.maxDeliver) {
      await this.deadLetter(r, m, headers, 'handler_failed', [{ field: '', reason: err.message }], envelope.id, envelope.type);
      return;
    }
    const delay = this.backoff(failures);
    this.log.warn({
      msg: 'handler failed; retrying',
      consumer: r.durable,
      eventId: envelope.id,
      delivery,
      failures,
      delayMs: delay,
      err: err.message,
    });
    m.nak(delay);
    this.metrics.consumed.inc({ consumer: r.durable, outcome: 'retried' });
  }

  /** The database failed, not the event: nak without counting; if it is unreachable, pause every consumer. */
  private infrastructureFailed(r: Registration, m: JsMsg, kind: 'unreachable' | 'transient', err: Error, eventId?: string): void {
    if (kind === 'unreachable') {
      this.circuit.trip(err);
      this.giveBack(m, PAUSED_NAK_MS);
    } else {
      this.log.warn({ msg: 'transient database failure; retrying uncounted', consumer: r.durable, eventId, err: err.message });
      this.giveBack(m, Math.min(this.backoff(m.info.deliveryCount), 5000));
    }
    this.metrics.consumed.inc({ consumer: r.durable, outcome: 'deferred' });
  }

  private backoff(n: number): number {
    return Math.min((this.options.backoffBaseMs ?? 500) * 2 ** Math.max(0, n - 1), this.options.backoffMaxMs ?? 60_000);
  }

  private get attemptTable(): string {
    return `"${this.options.schema}"."delivery_attempt"`;
  }

  /** Count one handler failure of this event in this consumer; the count so far. */
  private async recordFailure(r: Registration, eventId: string, error: string): Promise<number> {
    const rows: { handler_failures: number }[] = await this.dataSource.query(
      `INSERT INTO ${this.attemptTable} AS a (consumer, event_id, handler_failures, last_error, updated_at)
       VALUES ($1, $2, 1, $3, now())
       ON CONFLICT (consumer, event_id) DO UPDATE
         SET handler_failures = a.handler_failures + 1, last_error = EXCLUDED.last_error, updated_at = now()
       RETURNING handler_failures`,
      [r.durable, eventId, storable(error)],
    );
    return rows[0].handler_failures;
  }

  /** Note that this event is waiting for an earlier one; seconds it has waited so far. */
  private async recordWaiting(r: Registration, eventId: string, error: string): Promise<number> {
    const rows: { waited: string | number }[] = await this.dataSource.query(
      `INSERT INTO ${this.attemptTable} AS a (consumer, event_id, waiting_since, last_error, updated_at)
       VALUES ($1, $2, now(), $3, now())
       ON CONFLICT (consumer, event_id) DO UPDATE
         SET waiting_since = COALESCE(a.waiting_since, now()), last_error = EXCLUDED.last_error, updated_at = now()
       RETURNING extract(epoch FROM now() - waiting_since) AS waited`,
      [r.durable, eventId, storable(error)],
    );
    return Number(rows[0].waited);
  }

  /**
   * One message's inbox row and the handler's effect in one transaction of their own (RequiresNew: a
   * replay asked for over HTTP never joins its caller's): `applyAll` with one item, its handler's own
   * error thrown as it is. The caller runs it in the message's trace.
   */
  private async apply(r: Registration, envelope: EventEnvelope, delivery: number): Promise<'applied' | 'duplicate'> {
    try {
      return (await this.applyAll(r, [{ envelope, delivery, traced: (handle) => handle() }]))[0];
    } catch (e) {
      throw e instanceof BatchItemFailure ? e.cause : e;
    }
  }

  /** Several delivered messages in one transaction (`applyAll`), each handler in its message's trace. */
  private applyBatch(r: Registration, items: Delivered[]): Promise<('applied' | 'duplicate')[]> {
    return this.applyAll(
      r,
      items.map(({ m, headers, envelope }) => ({
        envelope,
        delivery: m.info.deliveryCount,
        traced: (handle: () => Promise<void>) =>
          inConsumerTrace(headers, `${m.subject} process`, consumerSpanAttributes(r.durable, m.subject), handle),
      })),
    );
  }

  /**
   * Messages in one transaction (RequiresNew): their inbox rows in one statement (ids sorted, so that
   * two batches holding the same ids wait for each other instead of deadlocking), then each new
   * event's handler in delivery order (`traced` runs it in its trace), then the work they left for the
   * end of the batch (BatchScope). A handler that throws rolls the whole batch back, as
   * BatchItemFailure naming it; end-of-batch work that throws names no message. Outcomes in the order
   * of `items`.
   */
  private async applyAll(
    r: Registration,
    items: { envelope: EventEnvelope; delivery: number; traced: (handle: () => Promise<void>) => Promise<void> }[],
  ): Promise<('applied' | 'duplicate')[]> {
    return this.txHost.withTransaction(Propagation.RequiresNew, async () => {
      const tx = this.txHost.tx;
      // Postgres answers uuids in lower case; an envelope may carry upper case (IsUUID allows it).
      const ids = [...new Set(items.map((d) => d.envelope.id.toLowerCase()))].sort();
      const inserted: { event_id: string }[] = await tx.query(
        `INSERT INTO "${this.options.schema}"."inbox" (consumer, event_id)
         SELECT $1, id FROM unnest($2::uuid[]) AS id ORDER BY id
         ON CONFLICT DO NOTHING RETURNING event_id`,
        [r.durable, ids],
      );
      const fresh = new Set(inserted.map((x) => x.event_id));
      const outcomes: ('applied' | 'duplicate')[] = [];
      const redelivered: string[] = [];
      const batch = new BatchScope();
      // The batch is the transaction's while its handlers and its flush run (the Outbox finds it there).
      await batch.within(tx.queryRunner!, async () => {
        for (let i = 0; i < items.length; i++) {
          const { envelope, delivery, traced } = items[i];
          const id = envelope.id.toLowerCase();
          // Already in the inbox, or earlier in this batch (the same event published twice).
          if (!fresh.delete(id)) {
            outcomes.push('duplicate');
            continue;
          }
          try {
            await traced(() => r.handler(envelope, { delivery, batch }));
          } catch (e) {
            throw new BatchItemFailure(i, e);
          }
          outcomes.push('applied');
          // A first delivery has nothing recorded; a later one may (failures, waiting): it goes with the inbox row.
          if (delivery > 1) redelivered.push(id);
        }
        // What the handlers left for the end of the batch (the outbox's rows among it); its failure is
        // no one message's (one by one).
        await batch.flush();
      });
      if (redelivered.length > 0) {
        await tx.query(`DELETE FROM ${this.attemptTable} WHERE consumer = $1 AND event_id = ANY($2::uuid[])`, [r.durable, redelivered]);
      }
      return outcomes;
    });
  }

  private async deadLetter(
    r: Registration,
    m: JsMsg,
    headers: Record<string, string>,
    reason: string,
    errors: FieldError[],
    eventId?: unknown,
    eventType?: unknown,
  ): Promise<void> {
    const id = storableOrNull(eventId);
    const cleanHeaders = Object.fromEntries(Object.entries(headers).map(([k, v]) => [storable(k, 200), storable(v, 2000)]));
    try {
      await this.txHost.withTransaction(Propagation.RequiresNew, async () => {
        const manager = this.txHost.tx;
        const payload = Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength);
        // Written before, but the term() never reached the server (NATS down, process killed): once is enough.
        const already: unknown[] = await manager.query(
          `SELECT 1 FROM "${this.options.schema}"."dead_letter" WHERE consumer = $1 AND stream_seq = $2 AND payload = $3 LIMIT 1`,
          [r.durable, String(m.seq), payload],
        );
        if (already.length > 0) return;
        await manager.getRepository(DeadLetterRecord).insert({
          id: randomUUID(),
          consumer: r.durable,
          subject: storable(m.subject, 500),
          streamSeq: String(m.seq),
          eventId: id,
          eventType: storableOrNull(eventType),
          payload,
          headers: cleanHeaders,
          reason,
          errors: storableErrors(errors),
          deliveries: m.info.deliveryCount,
        });
        if (id && /^[0-9a-f-]{36}$/i.test(id)) {
          await manager.query(`DELETE FROM ${this.attemptTable} WHERE consumer = $1 AND event_id = $2`, [r.durable, id]);
        }
      });
    } catch (e) {
      // Could not keep it: the server delivers it again (max_deliver is unlimited) rather than lose it.
      const kind = classifyFailure(e);
      if (kind) {
        this.infrastructureFailed(r, m, kind, e as Error, id ?? undefined);
      } else {
        this.log.error({ msg: 'dead-letter write failed; will retry', consumer: r.durable, err: (e as Error).message });
        m.nak(5000);
      }
      return;
    }
    this.log.warn({ msg: 'event dead-lettered', consumer: r.durable, reason, errors: storableErrors(errors), subject: m.subject });
    m.term();
    this.metrics.consumed.inc({ consumer: r.durable, outcome: 'dead_lettered' });
  }
}

function consumerSpanAttributes(durable: string, subject: string): Record<string, string> {
  return { 'messaging.system': 'nats', 'messaging.destination.name': subject, 'messaging.consumer.group.name': durable };
}
