/** The working-day calendar alarm (sla GET /calendar/status): on every administrator's home page and the calendar screen. */
import { Alert, Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { ErrorNote } from '../../components/ErrorNote';
import { useCalendarStatus } from './api';

export function CalendarAlarm({ withLink = true }: { withLink?: boolean }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const status = useCalendarStatus();
  if (status.isError) return <ErrorNote error={status.error} />;
  const s = status.data;
  if (!s) return null;
  if (!s.alarm) {
    return (
      <Alert
        data-testid="calendar-alarm"
        data-alarm="false"
        type="success"
        showIcon
        title={t('admin.alarm.ok', { years: s.years.map((y) => y.year).join('、') })}
      />
    );
  }
  const lines = [
    ...s.missingYears.map((m) =>
      t('admin.alarm.missingYear', {
        year: m.year,
        reasons: m.reasons.map((r) => t(`admin.alarm.reasons.${r}`, { defaultValue: r })).join('、'),
        clocks: m.provisionalClocks,
      }),
    ),
    ...(s.failingClocks ? [t('admin.alarm.failing', { count: s.failingClocks })] : []),
  ];
  return (
    <Alert
      data-testid="calendar-alarm"
      data-alarm="true"
      type="error"
      showIcon
      role="alert"
      title={t('admin.alarm.title')}
      description={
        <ul style={{ margin: 0, paddingInlineStart: 18 }}>
          {lines.map((l) => (
            <li key={l}>{l}</li>
          ))}
        </ul>
      }
      action={
        withLink ? (
          <Button danger onClick={() => void navigate('/system/calendar')}>
            {t('admin.alarm.fix')}
          </Button>
        ) : undefined
      }
    />
  );
}
