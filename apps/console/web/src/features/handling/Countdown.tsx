import { Tag } from 'antd';
import { memo, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { cityTime } from '../../app/time';
import { readClock, splitDuration, type ClockTone } from './clock';

export const TONE_COLOURS: Record<ClockTone, string> = { ok: 'green', warning: 'gold', breached: 'red', met: 'default', none: 'default' };

/** One clock for the whole page (or table): a re-render every 30 s is enough for minutes. */
export function useNow(intervalMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(id);
  }, [intervalMs]);
  return now;
}

/**
 * A countdown to a due time, coloured from sla's warning point (`warnAt`); without one, estimated
 * (see clock.ts). Cheap enough for hundreds of rows: a Tag with a native title, no tooltip per cell,
 * and memoised, so only the clocks whose text or colour changed re-render when the table's minute ticks.
 */
export const Countdown = memo(function Countdown(props: {
  due: string | null | undefined;
  warnAt?: string | null;
  start?: string | null | undefined;
  met: boolean;
  now: number;
  label?: string;
}) {
  const { t } = useTranslation();
  const r = readClock({ due: props.due, warnAt: props.warnAt, start: props.start }, props.now, props.met);
  if (r.tone === 'none' || r.remainingMs === null) return <span aria-label={props.label}>—</span>;
  const d = splitDuration(r.remainingMs);
  const span = d.days > 0 ? t('handling.clock.daysHours', d) : t('handling.clock.hoursMinutes', d);
  const text =
    r.tone === 'met'
      ? t('handling.clock.met')
      : r.remainingMs < 0
        ? t('handling.clock.late', { span })
        : t('handling.clock.left', { span });
  const title = [
    t('handling.clock.dueAt', { at: cityTime(props.due) }),
    props.warnAt ? t('handling.clock.warnAt', { at: cityTime(props.warnAt) }) : r.estimated ? t('handling.clock.estimated') : '',
  ]
    .filter(Boolean)
    .join('\n');
  return (
    <Tag color={TONE_COLOURS[r.tone]} data-tone={r.tone} title={title} aria-label={props.label ? `${props.label} ${text}` : text}>
      {text}
    </Tag>
  );
});
