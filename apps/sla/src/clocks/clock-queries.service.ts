import { CLOCK, Clock, districtScope, inDistrict, Principal } from '@app/platform';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { CalendarService } from '../calendar/calendar.service';
import { addWorkingMs, remaining } from '../calendar/working-time';
import { PolicyCache } from '../policies/policy-cache';
import { SlaPolicy } from '../policies/sla-policy.entity';
import { SLA_CONFIG, SlaConfig } from '../sla.config';
import { ClockSchedules } from './clock-schedules.service';
import { ClocksRepository } from './clocks.repository';
import { SlaClock } from './sla-clock.entity';

export interface ClockView extends SlaClock {
  /** Minutes until the due time (negative when late), on the wall clock and in working time. */
  remainingMinutes: number | null;
  remainingWorkingMinutes: number | null;
  /** What is still to fire, in order. */
  upcoming: { key: string; at: string }[];
}

/** The clocks as staff read them: an order's, and the about-to-breach board (临期看板). */
@Injectable()
export class ClockQueriesService {
  private readonly log = new Logger(ClockQueriesService.name);

  constructor(
    private readonly clocks: ClocksRepository,
    private readonly policyCache: PolicyCache,
    private readonly calendar: CalendarService,
    private readonly schedules: ClockSchedules,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SLA_CONFIG) private readonly config: SlaConfig,
  ) {}

  /** The clocks of an order, if it is in the caller's districts (else none, as if unknown). */
  async forTicket(user: Principal, ticketId: string): Promise<ClockView[]> {
    const visible = (await this.clocks.forTicket(ticketId)).filter((c) => inDistrict(user, c.districtCode));
    const now = this.clock.now();
    const out: ClockView[] = [];
    for (const c of visible) {
      // A clock whose policy cannot be read (a broken row, see lastError) is still shown, without its schedule.
      const policy = await this.policyCache.get(c.policyId).catch(() => null);
      out.push(this.view(c, policy, now));
    }
    return out;
  }

  /**
   * 临期看板: running clocks in the caller's districts with at most `withinWorkingHours` of working time
   * left (not yet breached; a paused clock counts what it had left when it stopped), soonest first.
   */
  async atRisk(
    user: Principal,
    q: { districtCode?: string; unitId?: string; withinWorkingHours: number; limit: number },
  ): Promise<ClockView[]> {
    const now = this.clock.now();
    const zone = this.config.CITY_TIME_ZONE;
    const withinMs = q.withinWorkingHours * 3_600_000;
    // The wall-clock bound of that much working time; a year the calendar lacks is read weekends-only.
    let to: Date;
    try {
      to = addWorkingMs(now, withinMs, zone, this.calendar.isWorkingDay);
    } catch {
      to = new Date(now.getTime() + withinMs * 3);
    }
    const rows = await this.clocks.openDueBetween({
      districts: districtScope(user),
      districtCode: q.districtCode,
      unitId: q.unitId,
      from: now,
      to,
      limit: q.limit,
    });
    const out: ClockView[] = [];
    for (const c of rows) {
      const policy = await this.policyCache.get(c.policyId).catch(() => null);
      const v = this.view(c, policy, now);
      if (v.remainingWorkingMinutes === null || v.remainingWorkingMinutes <= q.withinWorkingHours * 60) out.push(v);
    }
    return out.sort((a, b) => (a.remainingWorkingMinutes ?? 0) - (b.remainingWorkingMinutes ?? 0));
  }

  private view(c: SlaClock, policy: SlaPolicy | null, now: Date): ClockView {
    const running = !c.stoppedAt;
    let left: { minutes: number; workingMinutes: number } | null = null;
    let upcoming: { key: string; at: string }[] = [];
    try {
      if (running) left = remaining(c.pausedAt ?? now, c.dueAt, this.config.CITY_TIME_ZONE, this.calendar.isWorkingDay);
      if (running && !c.pausedAt && policy)
        upcoming = this.schedules
          .schedule(c, policy)
          .filter((x) => !c.fired.includes(x.key))
          .map((x) => ({ key: x.key, at: x.at.toISOString() }));
    } catch (e) {
      this.log.warn({ msg: 'cannot compute remaining time', clockId: c.id, err: (e as Error).message });
    }
    return { ...c, remainingMinutes: left?.minutes ?? null, remainingWorkingMinutes: left?.workingMinutes ?? null, upcoming };
  }
}
