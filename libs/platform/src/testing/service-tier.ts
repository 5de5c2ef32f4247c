import { ContractMap, EventEnvelope, EventType, versionOf } from '@app/contracts';
import { Provider, Type } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { TransactionHost } from '@nestjs-cls/transactional';
import { BUS_OPTIONS, BusOptions } from '../bus/bus.tokens';
import { validateEvent } from '../bus/event-validation';
import { Outbox } from '../bus/outbox';
import { databaseOptions, PersistenceSpec } from '../database/database-options';
import { ensureSchema } from '../database/schema-tools';
import { transactionModule, TxHost } from '../database/transactions';
import { CLOCK } from '../time/clock';
import { ManualClock } from './manual-clock';
import { RecordingOutbox } from './recording-outbox';
import { createTestDatabase, SERVICE_TEMPLATE_ENV } from './test-database';

export interface ServiceTierOptions {
  /** The service's name: its Postgres schema and the producer of its events. */
  service: string;
  /** Its entities and migrations (`DISPATCH_PERSISTENCE`, ...). */
  persistence: PersistenceSpec;
  /**
   * The service under test, its real repositories, and anything else it needs (its config token,
   * `strictFake`s for what lies outside the service). The harness adds the DataSource, the
   * TransactionHost on it, the `Outbox` (a `RecordingOutbox`), the `CLOCK` (a `ManualClock`) and
   * `BUS_OPTIONS`.
   */
  providers: Provider[];
  /** Where the clock starts (default 2026-03-02T02:00:00Z, a Monday morning in Xining). */
  start?: Date | string;
  /**
   * A migrated database to clone. Default: the tier's template (`JIESU_SERVICE_TEMPLATE`) when the
   * global setup made one; otherwise a fresh database with this service's migrations run.
   */
  template?: string;
  /** Rows the suite needs besides the template's, written once before the tests. */
  seed?: (ds: DataSource) => Promise<void>;
}

export interface ServiceTier {
  module: TestingModule;
  /** The suite's own database, migrated. */
  ds: DataSource;
  outbox: RecordingOutbox;
  clock: ManualClock;
  db: { name: string; url: string };
  get<T>(cls: Type<T>): T;
  /**
   * Run `fn` in a transaction opened through the TransactionHost (as the consumer host runs a
   * handler): repositories reading `txHost.tx` and the outbox join it; `fn` also gets its manager.
   */
  transaction<T>(fn: (m: EntityManager) => Promise<T>): Promise<T>;
  /**
   * An envelope as a consumer receives it: validated against its contract (a test cannot hand a
   * handler an event the bus would have dead-lettered), with the payload as its contract class.
   */
  event<T extends EventType>(
    type: T,
    input: { ticketId: string | null; district: string; data: ContractMap[T]; occurredAt?: Date; producer?: string },
  ): EventEnvelope<T>;
  close(): Promise<void>;
}

/**
 * The service-level tier (immich's medium tests): one service with its real repositories on a real
 * Postgres schema, the bus replaced by a `RecordingOutbox`, time by a `ManualClock`. One behaviour
 * per test; a suite takes seconds.
 *
 *   const tier = await serviceTier({ service: 'dispatch', persistence: DISPATCH_PERSISTENCE,
 *     providers: [UnitStepsService, OrderSteps, WorkflowRepository, ...] });
 *   const steps = tier.get(UnitStepsService);
 */
export async function serviceTier(opts: ServiceTierOptions): Promise<ServiceTier> {
  const template = opts.template ?? process.env[SERVICE_TEMPLATE_ENV];
  const db = await createTestDatabase(template);
  const ds = new DataSource(databaseOptions(db.url, opts.service, opts.persistence, 4));
  try {
    await ds.initialize();
    if (!template) {
      await ensureSchema(ds, opts.service);
      await ds.runMigrations({ transaction: 'each' });
    }
    if (opts.seed) await opts.seed(ds);
  } catch (e) {
    if (ds.isInitialized) await ds.destroy();
    await db.drop();
    throw e;
  }
  const bus: BusOptions = {
    service: opts.service,
    natsUrl: 'nats://service-tier.invalid:4222',
    prefix: 'svc',
    stream: 'SVC',
    maxDeliver: 1,
    concurrency: 1,
    sweepMs: 0,
    districts: [],
    schema: opts.service,
  };
  const clock = new ManualClock(new Date(opts.start ?? '2026-03-02T02:00:00Z'));
  const module = await Test.createTestingModule({
    imports: [
      // The DataSource for every module (the transactional plugin's included), then the TransactionHost on it.
      {
        module: class ServiceTierDataSource {},
        global: true,
        providers: [{ provide: getDataSourceToken(), useValue: ds }],
        exports: [getDataSourceToken()],
      },
      transactionModule(),
    ],
    providers: [
      { provide: RecordingOutbox, useFactory: (txHost: TxHost) => new RecordingOutbox(bus, ds, txHost), inject: [TransactionHost] },
      { provide: Outbox, useExisting: RecordingOutbox },
      { provide: CLOCK, useValue: clock },
      { provide: BUS_OPTIONS, useValue: bus },
      ...opts.providers,
    ],
  }).compile();
  // onModuleInit as at boot (a taxonomy seeding itself, a classifier building its index).
  await module.init();
  const txHost = module.get<TxHost>(TransactionHost);
  const outbox = module.get(RecordingOutbox);
  return {
    module,
    ds,
    outbox,
    clock,
    db: { name: db.name, url: db.url },
    get: <T>(cls: Type<T>) => module.get(cls),
    // Through the TransactionHost, so the repositories (which read txHost.tx) join it as in a handler.
    transaction: (fn) => txHost.withTransaction(() => fn(txHost.tx)),
    event: (type, input) => {
      const raw = {
        id: randomUUID(),
        type,
        version: versionOf(type),
        occurredAt: (input.occurredAt ?? clock.now()).toISOString(),
        district: input.district,
        ticketId: input.ticketId,
        producer: input.producer ?? 'test',
        data: input.data,
      };
      const check = validateEvent(JSON.parse(JSON.stringify(raw)));
      if (!check.ok) throw new Error(`the test's ${type} is invalid (${check.reason}): ${JSON.stringify(check.errors)}`);
      return check.envelope as EventEnvelope<typeof type>;
    },
    close: async () => {
      await module.close();
      await ds.destroy();
      await db.drop();
    },
  };
}

/**
 * A strict fake (immich's automock): the methods given, and an error naming the method for any
 * other the service calls, so a test never passes on a collaborator's silent `undefined`.
 */
export function strictFake<T extends object>(name: string, methods: Partial<T> = {}): T {
  return new Proxy(methods as T, {
    get(target, prop, receiver) {
      if (prop in target) return Reflect.get(target, prop, receiver) as unknown;
      // Nest and jest probe these on every provider; they are not calls of the service.
      if (typeof prop === 'symbol' || prop === 'then' || prop === 'onModuleInit' || prop === 'onApplicationBootstrap') return undefined;
      if (prop === 'onModuleDestroy' || prop === 'beforeApplicationShutdown' || prop === 'onApplicationShutdown') return undefined;
      return () => {
        throw new Error(`${name}.${String(prop)} was called, but the test did not set it up`);
      };
    },
  });
}
