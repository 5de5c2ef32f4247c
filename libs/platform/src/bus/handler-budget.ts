/**
 * The process-wide budget of event handlers running at once (`BUS_HANDLER_BUDGET`), below the
 * database pool size: every handler holds a pooled connection for its transaction, so with the
 * budget spent the pool still has connections for HTTP requests, the outbox relay and the ticks.
 * FIFO, so no consumer starves another.
 */
export class HandlerBudget {
  private inUse = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`handler budget must be a positive integer, not ${size}`);
  }

  get running(): number {
    return this.inUse;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** Wait for a slot; resolve with its release function (call it exactly once). */
  async acquire(): Promise<() => void> {
    if (this.inUse < this.size) {
      this.inUse++;
    } else {
      // The slot is handed over by release(), so inUse stays counted.
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.inUse--;
    };
  }
}
