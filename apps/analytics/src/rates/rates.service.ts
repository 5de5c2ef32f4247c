import { CategoryNames } from '@app/contracts';
import { districtScope, FieldValidationException, inUnit, Principal } from '@app/platform';
import { ForbiddenException, Inject, Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { ANALYTICS_CONFIG, AnalyticsConfig, scoreWeights } from '../analytics.config';
import { CategoryNamesRepository } from '../categories/category-names.repository';
import { categoryZh, CHANNEL_ZH, DISTRICT_ZH, labelOf, NOT_ACCEPTED_REASON_ZH, REQUEST_TYPE_ZH } from '../common/labels';
import { Counts, Dimension, emptyCounts } from '../rollups/rollup';
import { monthPeriod, Period, resolvePeriod } from './period';
import {
  BreakdownQuery,
  BreakdownRow,
  BreakdownView,
  FigureOrder,
  FigureOrdersQuery,
  FigureOrdersView,
  RankedRow,
  RankingQuery,
  RankingView,
  Rate,
  RateName,
  Rates,
  RatesQuery,
  RatesView,
  TopProblem,
  TopProblemsQuery,
  TrendPoint,
  TrendQuery,
  TrendView,
  Volumes,
} from './rates.dto';
import { KeyedCounts, RatesRepository } from './rates.repository';
import { FigureOrderRow, FigureOrdersRepository } from './figure-orders.repository';

export { MAX_PERIOD_DAYS } from './period';

export function rate(numerator: number, denominator: number): Rate {
  return { numerator, denominator, percent: denominator === 0 ? null : Math.round((numerator / denominator) * 10000) / 100 };
}

export const RATE_LABELS: Record<RateName, { zh: string; en: string }> = {
  response: { zh: '响应率', en: 'response rate' },
  resolution: { zh: '解决率', en: 'resolution rate' },
  satisfaction: { zh: '满意率', en: 'satisfaction rate' },
  onTime: { zh: '按时办结率', en: 'on-time rate' },
  rework: { zh: '发回重办率', en: 'rework rate' },
};

/** How the rates are computed from the rollup's counters (docs/architecture.md#the-rates). */
export interface RatePolicy {
  basicSatisfiedWeight: number;
  failedCallbacks: 'exclude' | 'unresolved';
}

export function ratesOf(c: Counts, policy: RatePolicy): Rates {
  const answered = c.callbacks + (policy.failedCallbacks === 'unresolved' ? c.callbacks_failed : 0);
  const satisfied = c.satisfied + c.basically_satisfied * policy.basicSatisfiedWeight;
  return {
    response: rate(c.responded_on_time, c.dispatched),
    resolution: rate(c.resolved, answered),
    satisfaction: rate(satisfied, answered),
    onTime: rate(c.replied_on_time, c.replied),
    rework: rate(c.reworked, c.replied),
  };
}

export function volumesOf(c: Counts): Volumes {
  return {
    contacts: c.accepted + c.answered + c.merged + c.not_accepted,
    accepted: c.accepted,
    answeredAtFirstContact: c.answered,
    merged: c.merged,
    notAccepted: c.not_accepted,
    dispatched: c.dispatched,
    replied: c.replied,
    closed: c.closed,
    callbacks: c.callbacks,
    callbacksFailed: c.callbacks_failed,
  };
}

/**
 * Composite score 0–100: the weighted mean of the rates (rework as 100 − rework%), over the rates
 * that have a denominator (a unit with no callbacks yet is scored on the rest).
 */
export function compositeScore(r: Rates, weights: Partial<Record<RateName, number>>): number | null {
  let sum = 0;
  let total = 0;
  for (const [name, w] of Object.entries(weights) as [RateName, number][]) {
    const p = r[name].percent;
    if (p === null || !w) continue;
    sum += w * (name === 'rework' ? 100 - p : p);
    total += w;
  }
  return total === 0 ? null : Math.round((sum / total) * 100) / 100;
}

function figureOrder(r: FigureOrderRow, categories: ReadonlyMap<string, CategoryNames>): FigureOrder {
  return {
    ticketId: r.ticket_id,
    orderNo: r.order_no,
    districtCode: r.district_code,
    district: labelOf(DISTRICT_ZH, r.district_code),
    streetCode: r.street_code,
    unitId: r.unit_id,
    unitName: r.unit_name,
    categoryCode: r.category_code,
    category: categoryZh(r.category_code, categories),
    at: new Date(r.at).toISOString(),
    counted: Number(r.counted),
    against: r.against,
    replyText: r.reply_text,
    callback:
      r.cb_cycle === null
        ? null
        : {
            cycle: r.cb_cycle,
            completedAt: new Date(r.at).toISOString(),
            failed: !!r.cb_failed,
            contacted: r.cb_contacted,
            resolved: r.cb_resolved,
            satisfaction: r.cb_satisfaction,
            comment: r.cb_comment,
          },
    notAcceptedReason: r.not_accepted_reason,
  };
}

const DIMENSION_OF: Record<BreakdownQuery['dimension'], Dimension> = {
  district: 'district',
  street: 'street',
  unit: 'unit',
  category: 'category',
  channel: 'channel',
  requestType: 'request_type',
  notAcceptedReason: 'not_accepted_reason',
};

/** 三率 and friends, by the formulas in docs/architecture.md, from the daily rollup. */
@Injectable()
export class RatesService {
  constructor(
    private readonly rates: RatesRepository,
    private readonly figureOrders: FigureOrdersRepository,
    private readonly categories: CategoryNamesRepository,
    @Inject(ANALYTICS_CONFIG) private readonly config: AnalyticsConfig,
  ) {}

  get policy(): RatePolicy {
    return { basicSatisfiedWeight: this.config.RATE_BASIC_SATISFIED_WEIGHT, failedCallbacks: this.config.RATE_FAILED_CALLBACKS };
  }

  period(q: { period?: RatesQuery['period']; from: string; to?: string }): Period {
    return resolvePeriod(q, this.config.CITY_TIME_ZONE);
  }

  /** The district a caller may read: their own when scoped (they must name it if they have several). */
  district(user: Principal, requested: string | undefined): string | null {
    const scope = districtScope(user);
    const district = requested ?? (scope?.length === 1 ? scope[0] : null);
    if (scope && (!district || !scope.includes(district))) {
      throw new ForbiddenException(
        scope.length === 1 ? `you may only see district ${scope[0]}` : 'name one of your districts in districtCode',
      );
    }
    return district;
  }

  async compute(user: Principal, q: RatesQuery): Promise<RatesView> {
    const p = this.period(q);
    const district = this.district(user, q.districtCode);
    return this.computeFor(p, district);
  }

  async computeFor(p: Period, district: string | null): Promise<RatesView> {
    const c = await this.rates.totals(p.from, p.to, district);
    return {
      period: { ...p, timeZone: this.config.CITY_TIME_ZONE },
      districtCode: district,
      volumes: volumesOf(c),
      events: await this.rates.eventVolumes(p.from, p.to, district),
      rates: ratesOf(c, this.policy),
      labels: RATE_LABELS,
    };
  }

  /** 走势: the rates and volumes per day, ISO week or month of the period (empty buckets included). */
  async trend(user: Principal, q: TrendQuery): Promise<TrendView> {
    const p = this.period(q);
    const district = this.district(user, q.districtCode);
    const granularity = q.granularity ?? 'day';
    const rows = new Map((await this.rates.series(p.from, p.to, district, granularity)).map((r) => [r.key, r.counts]));
    const zone = this.config.CITY_TIME_ZONE;
    const points: TrendPoint[] = [];
    const end = DateTime.fromISO(p.to, { zone });
    for (let d = DateTime.fromISO(p.from, { zone }).startOf(granularity); d <= end; d = d.plus({ [granularity + 's']: 1 })) {
      const key = d.toISODate()!;
      const last = d.endOf(granularity).toISODate()!;
      const c = rows.get(key) ?? emptyCounts();
      points.push({
        from: key < p.from ? p.from : key,
        to: last > p.to ? p.to : last,
        volumes: volumesOf(c),
        rates: ratesOf(c, this.policy),
      });
    }
    return { period: { ...p, timeZone: zone }, districtCode: district, granularity, points };
  }

  /** 下钻: the orders behind one figure, those that pull it down first (unsatisfied, not resolved, late...). */
  async ordersBehind(user: Principal, q: FigureOrdersQuery): Promise<FigureOrdersView> {
    const p = this.period(q);
    const district = this.district(user, q.districtCode);
    const zone = this.config.CITY_TIME_ZONE;
    if (q.streetCode && district && !q.streetCode.startsWith(district)) {
      throw new FieldValidationException([{ field: 'streetCode', reason: `street ${q.streetCode} is not in district ${district}` }]);
    }
    const pageSize = q.pageSize ?? 50;
    const rows = await this.figureOrders.list({
      figure: q.figure,
      start: DateTime.fromISO(p.from, { zone }).startOf('day').toJSDate(),
      end: DateTime.fromISO(p.to, { zone }).plus({ days: 1 }).startOf('day').toJSDate(),
      district,
      streetCode: q.streetCode ?? null,
      unitId: q.unitId ?? null,
      againstOnly: q.against === 'true',
      basicSatisfiedWeight: this.policy.basicSatisfiedWeight,
      failedCount: this.policy.failedCallbacks === 'unresolved',
      limit: pageSize,
      offset: ((q.page ?? 1) - 1) * pageSize,
    });
    const categories = await this.categories.namesFor(rows.map((r) => r.category_code));
    return {
      period: { ...p, timeZone: zone },
      districtCode: district,
      figure: q.figure,
      total: rows.length ? Number(rows[0].total) : 0,
      items: rows.map((r) => figureOrder(r, categories)),
    };
  }

  async breakdown(user: Principal, q: BreakdownQuery): Promise<BreakdownView> {
    const p = this.period(q);
    const district = this.district(user, q.districtCode);
    return this.breakdownFor(p, district, q.dimension);
  }

  async breakdownFor(p: Period, district: string | null, dimension: BreakdownQuery['dimension']): Promise<BreakdownView> {
    const dim = DIMENSION_OF[dimension];
    const perDistrict = dim === 'street' || dim === 'unit' || dim === 'district';
    const rows = await this.rates.byKey(dim, p.from, p.to, district, perDistrict);
    return {
      period: { ...p, timeZone: this.config.CITY_TIME_ZONE },
      districtCode: district,
      dimension,
      rows: await this.labelled(dim, rows),
    };
  }

  private async labelled(dim: Dimension, rows: KeyedCounts[]): Promise<BreakdownRow[]> {
    const names = dim === 'unit' ? await this.rates.unitNames(rows.map((r) => r.key).filter(Boolean)) : new Map<string, string>();
    const categories =
      dim === 'category' || dim === 'unit_category'
        ? await this.categories.namesFor(rows.map((r) => r.key))
        : new Map<string, CategoryNames>();
    const label = (key: string): string => {
      switch (dim) {
        case 'district':
          return labelOf(DISTRICT_ZH, key);
        case 'unit':
          return names.get(key) ?? (key || '未派单');
        case 'category':
        case 'unit_category':
          return categoryZh(key, categories);
        case 'channel':
          return labelOf(CHANNEL_ZH, key);
        case 'request_type':
          return labelOf(REQUEST_TYPE_ZH, key);
        case 'street':
          return key || '未知街道';
        case 'not_accepted_reason':
          return labelOf(NOT_ACCEPTED_REASON_ZH, key);
      }
    };
    return rows.map((r) => ({
      key: r.key,
      label: label(r.key),
      districtCode: r.districtCode,
      volumes: volumesOf(r.counts),
      rates: ratesOf(r.counts, this.policy),
    }));
  }

  async ranking(user: Principal, q: RankingQuery): Promise<RankingView> {
    return this.rankingFor(q.month, q.kind ?? 'unit', this.district(user, q.districtCode));
  }

  /** Monthly ranking by composite score, with the red (best) and black (worst) lists. */
  async rankingFor(month: string, kind: 'unit' | 'street', district: string | null): Promise<RankingView> {
    const p = monthPeriod(month, this.config.CITY_TIME_ZONE);
    const rows = (await this.labelled(kind, await this.rates.byKey(kind, p.from, p.to, district, true))).filter((r) => r.key !== '');
    const weights = scoreWeights(this.config);
    const min = this.config.RANKING_MIN_ORDERS;
    const scored = rows
      .filter((r) => r.volumes.dispatched >= min)
      .map((r) => ({ ...r, score: compositeScore(r.rates, weights) }))
      .filter((r): r is BreakdownRow & { score: number } => r.score !== null)
      .sort((a, b) => b.score - a.score || b.volumes.dispatched - a.volumes.dispatched || a.key.localeCompare(b.key));
    // Equal scores share a rank (1, 2, 2, 4).
    const ranked: RankedRow[] = scored.map((r) => ({ ...r, rank: scored.findIndex((x) => x.score === r.score) + 1 }));
    const n = Math.min(this.config.RANKING_LIST_SIZE, Math.floor(ranked.length / 2));
    return {
      month,
      kind,
      districtCode: district,
      weights,
      minOrders: min,
      ranked,
      unranked: rows.filter((r) => !ranked.some((x) => x.key === r.key && x.districtCode === r.districtCode)),
      redList: ranked.slice(0, n),
      blackList: n ? ranked.slice(-n).reverse() : [],
    };
  }

  /** 举一反三: a unit's most frequent problems, with how many callbacks called them unresolved. */
  async topProblems(user: Principal, unitId: string, q: TopProblemsQuery): Promise<TopProblem[]> {
    if (!user.roles.some((r) => r !== 'unit_head') && !inUnit(user, unitId))
      throw new ForbiddenException('a unit head sees only their own unit');
    const p = this.period(q);
    const district = this.district(user, q.districtCode);
    const rows = await this.rates.unitCategories(unitId, p.from, p.to, district, q.limit ?? 10);
    const categories = await this.categories.namesFor(rows.map((r) => r.key));
    return rows.map((r) => ({
      categoryCode: r.key,
      label: categoryZh(r.key, categories),
      accepted: r.counts.accepted,
      dispatched: r.counts.dispatched,
      callbacks: r.counts.callbacks,
      unresolved: r.counts.callbacks - r.counts.resolved,
    }));
  }
}
