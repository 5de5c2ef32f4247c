import { CLOCK, Clock, TransactionHost, TxHost } from '@app/platform';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { CalendarRecompute } from '../calendar/calendar-recompute.entity';
import { CalendarService } from '../calendar/calendar.service';
import { PolicyCache } from '../policies/policy-cache';
import { ClockSchedules } from './clock-schedules.service';
import { ClocksRepository } from './clocks.repository';

const RECOMPUTE_BATCH = 500;

/** Calendar edits: the persisted recompute jobs that move running clocks' due times. */
@Injectable()
export class ClockRecomputeService {
  private readonly log = new Logger(ClockRecomputeService.name);

  constructor(
    @Inject(TransactionHost) private readonly txHost: TxHost,
    private readonly clocks: ClocksRepository,
    private readonly policyCache: PolicyCache,
    private readonly calendar: CalendarService,
    private readonly schedules: ClockSchedules,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Run a persisted calendar recompute (see CalendarRecompute) from where it stands to its end, one
   * transaction per batch of clocks, each clock in its own savepoint; the job row's cursor moves in
   * the same transaction, so a crash loses at most the batch in hand and the next run resumes there.
   * `wait`: the request that made the edit waits for a batch another process is running; the tick
   * skips a job someone else runs. Null when skipped. The calendar must be reloaded first.
   */
  async runRecompute(id: string, wait: boolean): Promise<CalendarRecompute | null> {
    const now = this.clock.now();
    for (;;) {
      const job = await this.txHost.withTransaction(async () => {
        const j = await this.clocks.lockRecompute(id, wait);
        if (!j || j.finishedAt) return j;
        const cs = await this.clocks.recomputeBatch(j, RECOMPUTE_BATCH);
        for (const c of cs) {
          j.visited++;
          await this.schedules.isolated(c, 'recompute', now, async () => {
            if (await this.schedules.reschedule(c, await this.policyCache.get(c.policyId), now)) j.moved++;
          });
        }
        if (cs.length) j.afterId = cs[cs.length - 1].id;
        if (cs.length < RECOMPUTE_BATCH) j.finishedAt = new Date();
        await this.clocks.saveRecompute(j);
        return j;
      });
      if (!job || job.finishedAt) return job;
    }
  }

  /**
   * Finish the recomputes nobody is running (left by a crash, or queued by another replica), and
   * queue one for each year running clocks were computed provisionally for that now has data (the
   * library updated, or declared through another path). Called by the tick and at boot.
   */
  async resumeRecomputes(): Promise<void> {
    const open = await this.clocks.openRecomputes();
    const queued = new Set(open.filter((j) => j.scope === 'year').map((j) => j.year));
    for (const { year } of await this.clocks.provisionalYears()) {
      if (this.calendar.hasYear(year) && !queued.has(year)) open.push(await this.clocks.queueRecompute({ scope: 'year', year }));
    }
    for (const j of open) {
      const done = await this.runRecompute(j.id, false);
      if (done?.finishedAt)
        this.log.log({ msg: 'calendar recompute finished', id: j.id, scope: j.scope, visited: done.visited, moved: done.moved });
    }
  }
}
