import { FieldError, FieldValidationException } from '@app/platform';
import { DateTime } from 'luxon';
import { PeriodKind } from './rates.dto';

export const MAX_PERIOD_DAYS = 366;

export interface Period {
  kind: PeriodKind;
  from: string;
  to: string;
}

/**
 * The city dates [from, to] a query means. `custom` needs both ends (no open-ended periods) in
 * order and at most MAX_PERIOD_DAYS long; day, week (Monday–Sunday) and month take the period
 * containing `from` and refuse a `to`.
 */
export function resolvePeriod(q: { period?: PeriodKind; from: string; to?: string }, zone: string): Period {
  const kind = q.period ?? 'custom';
  const problems: FieldError[] = [];
  const from = DateTime.fromISO(q.from, { zone });
  if (!from.isValid) problems.push({ field: 'from', reason: `${q.from} is not a calendar date` });
  if (kind !== 'custom') {
    if (q.to !== undefined) problems.push({ field: 'to', reason: `a ${kind} period is set by from; leave to out` });
    if (problems.length) throw new FieldValidationException(problems);
    const unit = kind === 'day' ? 'day' : kind === 'week' ? 'week' : 'month';
    return { kind, from: from.startOf(unit).toISODate()!, to: from.endOf(unit).toISODate()! };
  }
  if (q.to === undefined) {
    problems.push({ field: 'to', reason: 'a custom period needs to (open-ended periods are not allowed)' });
    throw new FieldValidationException(problems);
  }
  const to = DateTime.fromISO(q.to, { zone });
  if (!to.isValid) problems.push({ field: 'to', reason: `${q.to} is not a calendar date` });
  if (from.isValid && to.isValid && to < from) problems.push({ field: 'to', reason: 'to is before from' });
  if (from.isValid && to.isValid && to.diff(from, 'days').days + 1 > MAX_PERIOD_DAYS) {
    problems.push({ field: 'to', reason: `the period may span at most ${MAX_PERIOD_DAYS} days` });
  }
  if (problems.length) throw new FieldValidationException(problems);
  return { kind, from: q.from, to: q.to };
}

/** The month `YYYY-MM` as city dates. */
export function monthPeriod(month: string, zone: string): Period {
  const d = DateTime.fromISO(`${month}-01`, { zone });
  return { kind: 'month', from: d.toISODate()!, to: d.endOf('month').toISODate()! };
}
