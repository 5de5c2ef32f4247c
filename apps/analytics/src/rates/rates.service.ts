import { districtScope, FieldValidationException, Principal } from '@app/platform';
import { ForbiddenException, Inject, Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { ANALYTICS_CONFIG, AnalyticsConfig } from '../analytics.config';
import { Rate, RatesQuery, RatesView } from './rates.dto';
import { RatesRepository } from './rates.repository';

export const MAX_PERIOD_DAYS = 366;

export function rate(numerator: number, denominator: number): Rate {
  return { numerator, denominator, percent: denominator === 0 ? null : Math.round((numerator / denominator) * 10000) / 100 };
}

/** 三率 and friends, by the formulas in docs/architecture.md (configurable weights and denominators). */
@Injectable()
export class RatesService {
  constructor(
    private readonly rates: RatesRepository,
    @Inject(ANALYTICS_CONFIG) private readonly config: AnalyticsConfig,
  ) {}

  async compute(user: Principal, q: RatesQuery): Promise<RatesView> {
    const zone = this.config.CITY_TIME_ZONE;
    const from = DateTime.fromISO(q.from, { zone });
    const to = DateTime.fromISO(q.to, { zone });
    const problems = [];
    if (!from.isValid) problems.push({ field: 'from', reason: `${q.from} is not a calendar date` });
    if (!to.isValid) problems.push({ field: 'to', reason: `${q.to} is not a calendar date` });
    if (from.isValid && to.isValid && to < from) problems.push({ field: 'to', reason: 'to is before from' });
    if (from.isValid && to.isValid && to.diff(from, 'days').days + 1 > MAX_PERIOD_DAYS) {
      problems.push({ field: 'to', reason: `the period may span at most ${MAX_PERIOD_DAYS} days` });
    }
    if (problems.length) throw new FieldValidationException(problems);

    const scope = districtScope(user);
    const district = q.districtCode ?? null;
    if (scope && (!district || !scope.includes(district))) {
      throw new ForbiddenException(
        scope.length === 1 ? `you may only see district ${scope[0]}` : 'name one of your districts in districtCode',
      );
    }

    const c = await this.rates.counts(from.startOf('day').toJSDate(), to.plus({ days: 1 }).startOf('day').toJSDate(), district);
    const events = await this.rates.eventVolumes(q.from, q.to, district);
    const failedInDenominator = this.config.RATE_FAILED_CALLBACKS === 'unresolved' ? c.callbacks_failed : 0;
    const answeredCallbacks = c.callbacks + failedInDenominator;
    const satisfied = c.satisfied + c.basically_satisfied * this.config.RATE_BASIC_SATISFIED_WEIGHT;
    return {
      period: { from: q.from, to: q.to, timeZone: zone },
      districtCode: district,
      volumes: {
        accepted: c.accepted,
        answeredAtFirstContact: c.answered,
        dispatched: c.dispatched,
        replied: c.replied,
        closed: c.closed,
        callbacks: c.callbacks,
        callbacksFailed: c.callbacks_failed,
      },
      events,
      rates: {
        response: rate(c.responded_on_time, c.dispatched),
        resolution: rate(c.resolved, answeredCallbacks),
        satisfaction: rate(satisfied, answeredCallbacks),
        onTime: rate(c.replied_on_time, c.replied),
        rework: rate(c.reworked, c.replied),
      },
      labels: {
        response: { zh: '响应率', en: 'response rate' },
        resolution: { zh: '解决率', en: 'resolution rate' },
        satisfaction: { zh: '满意率', en: 'satisfaction rate' },
        onTime: { zh: '按时办结率', en: 'on-time rate' },
        rework: { zh: '发回重办率', en: 'rework rate' },
      },
    };
  }
}
