import { DynamicModule } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { ClsPluginTransactional, Propagation, TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { ClsModule } from 'nestjs-cls';
import { DataSource } from 'typeorm';

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

/** The nestjs-cls module with the transactional plugin on the service's DataSource. */
export function transactionModule(): DynamicModule {
  return ClsModule.forRoot({
    global: true,
    plugins: [
      new ClsPluginTransactional({
        adapter: new TransactionalAdapterTypeOrm({ dataSourceToken: getDataSourceToken() }),
      }),
    ],
  });
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
