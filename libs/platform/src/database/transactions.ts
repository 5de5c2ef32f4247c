import { DynamicModule } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { getDataSourceToken } from '@nestjs/typeorm';
import { ClsPluginTransactional, Propagation, TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { ClsModule } from 'nestjs-cls';
import { DataSource, QueryRunner } from 'typeorm';

export { Propagation, TransactionHost } from '@nestjs-cls/transactional';

/**
 * The one way a Jiesu service runs in a transaction (docs/architecture.md, "Transactions").
 *
 * The transaction lives in async-local context (nestjs-cls): a use case opens it with
 * `@Transactional()` or `txHost.withTransaction(...)`, and every repository reads the current
 * EntityManager from `txHost.tx` — the transaction's manager inside one, the DataSource's manager
 * outside. Nothing passes an EntityManager as an argument. The outbox and the consumer host join the
 * same transaction the same way, so an event is written with the change that caused it.
 *
 * Inject it as `TransactionHost` typed `TxHost`:
 *
 *   constructor(private readonly txHost: TxHost) {}          // DI token: TransactionHost
 */
export type TxHost = TransactionHost<TransactionalAdapterTypeOrm>;

/**
 * The nestjs-cls module with the transactional plugin on the service's DataSource, without the
 * global guard and interceptor nestjs-cls registers whether or not they are mounted
 * (`withoutIdleEnhancers`).
 */
export function transactionModule(): DynamicModule {
  return withoutIdleEnhancers(
    ClsModule.forRoot({
      global: true,
      plugins: [
        new ClsPluginTransactional({
          adapter: new TransactionalAdapterTypeOrm({ dataSourceToken: getDataSourceToken() }),
        }),
      ],
    }),
  );
}

/**
 * `ClsModule.forRoot` without its global guard and interceptor. nestjs-cls (6.x, 7.0) provides both
 * as APP_GUARD and APP_INTERCEPTOR even when they are not mounted; then they do nothing
 * (`canActivate: () => true`, `intercept: (_, next) => next.handle()`). `transactionModule` mounts
 * neither (a transaction makes its own CLS context), but a global interceptor, even one that does nothing,
 * puts every HTTP request through Nest's interceptor chain: rxjs `defer` and `mergeAll` and two
 * `AsyncResource.bind` (on Node 20 each bind also makes two deprecation wrappers). That was 0.1 ms
 * of CPU per request in intake, a quarter of the cost of `GET /health/live` (bench/README.md).
 */
export function withoutIdleEnhancers(m: DynamicModule): DynamicModule {
  const idle = (p: unknown) => {
    const provide = (p as { provide?: unknown } | null)?.provide;
    return provide === APP_GUARD || provide === APP_INTERCEPTOR;
  };
  return {
    ...m,
    imports: m.imports?.map((i) => {
      const d = i as DynamicModule;
      return d && typeof d === 'object' && 'module' in d && d.providers ? { ...d, providers: d.providers.filter((p) => !idle(p)) } : i;
    }),
  };
}

/**
 * Run the decorated method in a transaction of the instance's own `txHost` (joining the current one
 * by default; `Propagation.Nested` makes a savepoint, `RequiresNew` a transaction of its own).
 *
 * Why not the library's `@Transactional()`: it finds its TransactionHost through a process-wide
 * singleton, i.e. the last service booted. The end-to-end tests boot every service in one process, so
 * intake's use case would open its transaction on sla's DataSource. This one uses the host injected
 * into the instance (a `txHost` field), so each service's methods use that service's database.
 */
export function Transactional(propagation: Propagation = Propagation.Required): MethodDecorator {
  return (target, key, descriptor: PropertyDescriptor) => {
    const original = descriptor.value as (...args: unknown[]) => Promise<unknown>;
    if (typeof original !== 'function') throw new Error(`@Transactional() on ${String(key)}, which is not a method`);
    const wrapped = function (this: { txHost?: TxHost }, ...args: unknown[]): Promise<unknown> {
      const host = this.txHost;
      if (!host) {
        throw new Error(
          `@Transactional() ${target.constructor.name}.${String(key)} needs a 'txHost: TxHost' field (injected TransactionHost)`,
        );
      }
      return host.withTransaction(propagation, () => original.apply(this, args));
    };
    Object.defineProperty(wrapped, 'name', { value: original.name });
    // Keep the metadata other decorators (@OnEvent, Nest's route decorators) put on the method.
    for (const k of Reflect.getMetadataKeys(original)) {
      Reflect.defineMetadata(k, Reflect.getMetadata(k, original), wrapped);
    }
    descriptor.value = wrapped;
    return descriptor;
  };
}

/** True when the current async context holds an open transaction on this host. */
export function inTransaction(txHost: TxHost): boolean {
  return txHost.isTransactionActive() && txHost.tx.queryRunner?.isTransactionActive === true;
}

/**
 * A TransactionHost on a DataSource outside Nest's container: for scripts (seeds, replays) and tests
 * that build services by hand. The same async-local store as the services' own hosts.
 */
export function standaloneTxHost(dataSource: DataSource): TxHost {
  const adapter = new TransactionalAdapterTypeOrm({ dataSourceToken: null });
  return new TransactionHost<TransactionalAdapterTypeOrm>({
    ...adapter.optionsFactory(dataSource),
    connectionName: undefined,
    enableTransactionProxy: false,
    defaultTxOptions: {},
    extraProviderTokens: [],
  });
}

/**
 * How many transactions (the outer one and its savepoints) the runner has open: TypeORM's own count
 * (`transactionDepth`, protected in its types), 1 if a version stops keeping it. What the outbox's
 * end-of-batch writes and the service tier's RecordingOutbox tell a savepoint from its transaction by.
 */
export function transactionDepth(runner: QueryRunner): number {
  const depth = (runner as unknown as { transactionDepth?: unknown }).transactionDepth;
  return typeof depth === 'number' ? depth : 1;
}
