import { QueryRunner } from 'typeorm';
import { transactionDepth } from '../database/transactions';

/** Work the handlers of a batch leave for its end (`BatchScope.work`). */
export interface BatchWork {
  /** Runs once, after the batch's last handler, in the batch's transaction, before the commit. */
  flush(): Promise<void>;
}

/** Names one kind of end-of-batch work and makes a fresh one for each batch. */
export class BatchWorkKey<T extends BatchWork> {
  constructor(
    readonly name: string,
    readonly create: () => T,
  ) {}

  /**
   * The most common work: the batch's handlers push items (events, steps) into `items`, and the
   * flush applies them all at once, in the order pushed: `ctx.batch.work(key).items.push(e)`.
   */
  static collecting<I>(name: string, apply: (items: I[]) => Promise<void>): BatchWorkKey<Collected<I>> {
    return new BatchWorkKey(name, () => new Collected(apply));
  }
}

/** End-of-batch work made by `BatchWorkKey.collecting`: items pushed by the handlers, applied together. */
export class Collected<I> implements BatchWork {
  readonly items: I[] = [];

  constructor(private readonly apply: (items: I[]) => Promise<void>) {}

  flush(): Promise<void> {
    return this.apply(this.items);
  }
}

/**
 * What a batch's handlers share: work they leave for the end of the batch (docs/architecture.md,
 * "End-of-batch work"). The first handler of a batch to ask for `key` gets a new work, the later
 * ones the same; the host flushes each once, after the last handler, in the order they were first
 * asked for, in the batch's transaction. A lone message is a batch of one, so a handler behaves the
 * same with or without batches. A flush that throws fails the batch as a whole (no message is
 * blamed): it is applied one message per transaction, where the failure is its message's own.
 *
 * Code that has no `HandlerContext` in hand (the `Outbox`) finds the batch through the transaction:
 * `BatchScope.current(runner)` is the batch the host applies in the transaction of that query runner,
 * while the caller is at the transaction's own level. Inside a savepoint of it (`Propagation.Nested`)
 * there is none: work left for the end of the batch would outlive the savepoint's rollback.
 */
export class BatchScope {
  private static readonly open = new WeakMap<QueryRunner, { scope: BatchScope; depth: number }>();
  private readonly works = new Map<BatchWorkKey<BatchWork>, BatchWork>();

  /** The batch applied in `runner`'s transaction, if one is and the caller is not in a savepoint of it. */
  static current(runner: QueryRunner | undefined): BatchScope | undefined {
    const open = runner && BatchScope.open.get(runner);
    return open && open.depth === transactionDepth(runner) ? open.scope : undefined;
  }

  work<T extends BatchWork>(key: BatchWorkKey<T>): T {
    let w = this.works.get(key) as T | undefined;
    if (!w) this.works.set(key, (w = key.create()));
    return w;
  }

  /** The host's: `apply` (the handlers and the flush) with this scope as the batch of `runner`'s transaction. */
  async within<T>(runner: QueryRunner, apply: () => Promise<T>): Promise<T> {
    BatchScope.open.set(runner, { scope: this, depth: transactionDepth(runner) });
    try {
      return await apply();
    } finally {
      BatchScope.open.delete(runner);
    }
  }

  /**
   * The host's: run every work once, in the order they were first asked for (a work first asked for
   * by another's flush is flushed after it).
   */
  async flush(): Promise<void> {
    for (const w of this.works.values()) await w.flush();
  }
}
