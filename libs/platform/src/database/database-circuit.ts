import { Logger } from '@nestjs/common';

/**
 * A circuit breaker for the database, shared by a process's consumers. A handler that fails for an
 * infrastructure reason trips it; while it is open the consumers stop pulling (messages they hold
 * go back with a short nak, not counted against them) and a probe asks the database, with
 * back-off, until it answers; then every consumer resumes. So an outage of any length costs the
 * messages nothing and the log one line per outage, not one per message.
 */
export class DatabaseCircuit {
  private readonly log = new Logger(DatabaseCircuit.name);
  private openSince?: Date;
  private lastError?: string;
  private closed: Promise<void> = Promise.resolve();
  private resolveClosed?: () => void;
  private readonly openListeners = new Set<() => void>();
  private probing?: Promise<void>;
  private disposed = false;

  constructor(
    /** Resolves when the database answers (e.g. `SELECT 1`), rejects when it does not. */
    private readonly probe: () => Promise<unknown>,
    private readonly minDelayMs = 250,
    private readonly maxDelayMs = 5000,
  ) {}

  get isOpen(): boolean {
    return this.openSince !== undefined;
  }

  /** `{ since, error }` while open; undefined while closed. */
  get state(): { since: Date; error?: string } | undefined {
    return this.openSince ? { since: this.openSince, error: this.lastError } : undefined;
  }

  /** Resolves at once when closed, or when the database answers again. */
  whenClosed(): Promise<void> {
    return this.closed;
  }

  /** Run `fn` whenever the circuit opens; returns the unsubscribe function. */
  onOpen(fn: () => void): () => void {
    this.openListeners.add(fn);
    return () => this.openListeners.delete(fn);
  }

  /** The database failed (for an infrastructure reason): open, and probe until it answers. */
  trip(error: unknown): void {
    if (this.disposed) return;
    this.lastError = error instanceof Error ? error.message : String(error);
    if (this.openSince) return;
    this.openSince = new Date();
    this.closed = new Promise<void>((r) => (this.resolveClosed = r));
    this.log.warn({ msg: 'database unreachable: consumers paused', err: this.lastError });
    for (const fn of this.openListeners) fn();
    this.probing = this.probeUntilUp();
  }

  /** Stop probing (shutdown); waiters are released so that loops can see they must stop. */
  async dispose(): Promise<void> {
    this.disposed = true;
    this.close();
    await this.probing;
  }

  private close(): void {
    if (!this.openSince) return;
    const down = Date.now() - this.openSince.getTime();
    this.openSince = undefined;
    this.resolveClosed?.();
    if (!this.disposed) this.log.log({ msg: 'database reachable again: consumers resume', downMs: down });
  }

  private async probeUntilUp(): Promise<void> {
    let delay = this.minDelayMs;
    while (!this.disposed && this.openSince) {
      await new Promise((r) => setTimeout(r, delay));
      if (this.disposed) return;
      try {
        await this.probe();
        this.close();
        return;
      } catch (e) {
        this.lastError = (e as Error).message;
        delay = Math.min(delay * 2, this.maxDelayMs);
      }
    }
  }
}
