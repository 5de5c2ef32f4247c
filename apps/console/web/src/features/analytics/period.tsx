/** The period every analytics screen is read for: a day, ISO week or month containing a date, or a range (city time zone). */
import { DatePicker, Segmented, Space } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { CITY_TZ, dayjs } from '../../app/time';
import type { PeriodKind, PeriodQuery } from './types';

export const today = (): string => dayjs().tz(CITY_TZ).format('YYYY-MM-DD');

/** The city dates [from, to] a period means (as analytics resolves it; weeks start on Monday). */
export function periodRange(p: PeriodQuery): { from: string; to: string } {
  if (p.period === 'custom') return { from: p.from, to: p.to ?? p.from };
  const d = dayjs(p.from);
  if (p.period === 'day') return { from: p.from, to: p.from };
  if (p.period === 'month') return { from: d.startOf('month').format('YYYY-MM-DD'), to: d.endOf('month').format('YYYY-MM-DD') };
  const monday = d.subtract((d.day() + 6) % 7, 'day');
  return { from: monday.format('YYYY-MM-DD'), to: monday.add(6, 'day').format('YYYY-MM-DD') };
}

export function PeriodPicker({ value, onChange }: { value: PeriodQuery; onChange: (p: PeriodQuery) => void }) {
  const { t } = useTranslation();
  const kinds: PeriodKind[] = ['day', 'week', 'month', 'custom'];
  const picker = value.period === 'custom' || value.period === 'day' ? 'date' : value.period;
  const range = periodRange(value);
  return (
    <Space wrap aria-label={t('analytics.period.label')}>
      <Segmented<PeriodKind>
        data-testid="period-kind"
        value={value.period}
        options={kinds.map((k) => ({ value: k, label: t(`analytics.period.kind.${k}`) }))}
        onChange={(k) => onChange(k === 'custom' ? { period: k, from: range.from, to: range.to } : { period: k, from: value.from })}
      />
      {value.period === 'custom' ? (
        <DatePicker.RangePicker
          aria-label={t('analytics.period.label')}
          allowClear={false}
          value={[dayjs(value.from), dayjs(value.to ?? value.from)]}
          onChange={(v) => {
            const [a, b] = (v ?? []) as [Dayjs | null, Dayjs | null];
            if (a && b) onChange({ period: 'custom', from: a.format('YYYY-MM-DD'), to: b.format('YYYY-MM-DD') });
          }}
        />
      ) : (
        <DatePicker
          aria-label={t('analytics.period.label')}
          allowClear={false}
          picker={picker}
          value={dayjs(value.from)}
          onChange={(d: Dayjs | null) => d && onChange({ period: value.period, from: d.format('YYYY-MM-DD') })}
        />
      )}
      <span data-testid="period-range">{range.from === range.to ? range.from : t('analytics.period.range', range)}</span>
    </Space>
  );
}
