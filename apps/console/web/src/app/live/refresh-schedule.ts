/**
 * When the queries a live event can change are refetched. Events arriving together refetch once,
 * FIRST_MS after the first of them. The services that apply an event a little later than the
 * console sees it are refetched once more, SETTLE_MS after that: a service whose consumers linger
 * (BUS_BATCH_LINGER_MS: sla, intake and callback 200 ms, analytics 1 s; docs/architecture.md
 * "Linger") may not have applied the event at the first refetch, and nothing else would tell the
 * screen (a new callback task, after its order's ticket.reviewed.v1, raises no event of its own).
 * Dispatch does not linger, so its lists refetch once.
 */
export const FIRST_MS = 150;
export const SETTLE_MS = 1_300;
/** The services whose consumers linger by default (their config classes). */
export const LINGERING: ReadonlySet<string> = new Set(['sla', 'intake', 'callback', 'analytics']);

export class RefreshSchedule {
  private first = new Set<string>();
  private late = new Set<string>();
  private firstTimer: ReturnType<typeof setTimeout> | undefined;
  private lateTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly refetch: (services: ReadonlySet<string>) => void) {}

  /** An event that can change these services' queries. */
  add(services: Iterable<string>): void {
    for (const s of services) this.first.add(s);
    if (this.firstTimer !== undefined || this.first.size === 0) return;
    this.firstTimer = setTimeout(() => this.fireFirst(), FIRST_MS);
  }

  stop(): void {
    clearTimeout(this.firstTimer);
    clearTimeout(this.lateTimer);
    this.firstTimer = this.lateTimer = undefined;
    this.first = new Set();
    this.late = new Set();
  }

  private fireFirst(): void {
    const services = this.first;
    this.first = new Set();
    this.firstTimer = undefined;
    this.refetch(services);
    for (const s of services) if (LINGERING.has(s)) this.late.add(s);
    if (this.late.size === 0 || this.lateTimer !== undefined) return;
    this.lateTimer = setTimeout(() => this.fireLate(), SETTLE_MS);
  }

  private fireLate(): void {
    const services = this.late;
    this.late = new Set();
    this.lateTimer = undefined;
    this.refetch(services);
  }
}
