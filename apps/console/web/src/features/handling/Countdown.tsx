import { Tag, Tooltip } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { cityTime } from '../../app/time';
import { readClock, splitDuration, type ClockTone } from './clock';

const COLOURS: Record<ClockTone, string> = { ok: 'green', warning: 'gold', breached: 'red', met: 'default', none: 'default' };

/** One clock for the whole page: a re-render every 30 s is enough for minutes. */
export function useNow(intervalMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(id);
  }, [intervalMs]);
  return now;
}

export function Countdown(props: {
  due: string | null | undefined;
  start: string | null | undefined;
  met: boolean;
  now: number;
  label?: string;
}) {
  const { t } = useTranslation();
  const r = readClock(props.due, props.start, props.now, props.met);
  if (r.tone === 'none' || r.remainingMs === null) return <span aria-label={props.label}>—</span>;
  const d = splitDuration(r.remainingMs);
  const span = d.days > 0 ? t('handling.clock.daysHours', d) : t('handling.clock.hoursMinutes', d);
  const text =
    r.tone === 'met'
      ? t('handling.clock.met')
      : r.remainingMs < 0
        ? t('handling.clock.late', { span })
        : t('handling.clock.left', { span });
  return (
    <Tooltip title={t('handling.clock.dueAt', { at: cityTime(props.due) })}>
      <Tag color={COLOURS[r.tone]} data-tone={r.tone} aria-label={props.label ? `${props.label} ${text}` : text}>
        {text}
      </Tag>
    </Tooltip>
  );
}
