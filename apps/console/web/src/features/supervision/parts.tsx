/** Pieces the supervision screens share: the order's number, working time left, a clock's pause and resume, the urge form. */
import { Alert, Button, Form, Input, Space, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { cityTime } from '../../app/time';
import { ErrorNote } from '../../components/ErrorNote';
import { useClocks, useOrderNumber, usePause, useResume } from './api';
import type { ClockView } from './types';

export function OrderNo({ ticketId }: { ticketId: string }) {
  const q = useOrderNumber(ticketId);
  return <Typography.Text strong>{q.data ?? ticketId.slice(0, 8)}</Typography.Text>;
}

/** "剩 1个工作日3小时" / "超 2小时": working time, where working days count whole (sla's calendar). */
export function WorkingLeft({ minutes, wallMinutes, paused }: { minutes: number | null; wallMinutes?: number | null; paused?: boolean }) {
  const { t } = useTranslation();
  if (minutes === null) return <span>—</span>;
  const spanOf = (m: number, working: boolean) => {
    const abs = Math.abs(m);
    const days = Math.floor(abs / 1440);
    const hours = Math.floor((abs % 1440) / 60);
    if (days > 0) return t(working ? 'supervision.left.daysHours' : 'supervision.left.calendarDaysHours', { days, hours });
    return t('supervision.left.hoursMinutes', { hours, minutes: abs % 60 });
  };
  const span = spanOf(minutes, true);
  const tone = minutes < 0 ? 'red' : minutes <= 8 * 60 ? 'red' : minutes <= 24 * 60 ? 'gold' : 'green';
  return (
    <Space size={2}>
      <Tag color={tone} data-testid="working-left">
        {minutes < 0 ? t('supervision.left.late', { span }) : t('supervision.left.left', { span })}
      </Tag>
      {paused && <Tag color="purple">{t('supervision.clock.paused')}</Tag>}
      {wallMinutes != null && wallMinutes !== minutes && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('supervision.left.wall', { span: spanOf(wallMinutes, false) })}
        </Typography.Text>
      )}
    </Space>
  );
}

/** The order's clocks with pause (等待诉求人) and resume for its running finish clock. */
export function ClockPanel({ ticketId }: { ticketId: string }) {
  const { t } = useTranslation();
  const q = useClocks(ticketId);
  const pause = usePause(ticketId);
  const resume = useResume(ticketId);
  const clocks = (q.data ?? []).filter((c) => !c.stoppedAt);
  const finish = clocks.filter((c) => c.kind === 'finish').sort((a, b) => b.cycle - a.cycle)[0];
  return (
    <section aria-label={t('supervision.clock.title')} data-testid="clock-panel">
      <Typography.Text strong>{t('supervision.clock.title')}</Typography.Text>
      {clocks.length === 0 && !q.isPending && <div>{t('supervision.clock.none')}</div>}
      {clocks.map((c: ClockView) => (
        <div key={c.id} style={{ marginTop: 6 }}>
          <Space wrap>
            <span>{t(`supervision.clock.kinds.${c.kind}`)}</span>
            <WorkingLeft minutes={c.remainingWorkingMinutes} wallMinutes={c.remainingMinutes} paused={Boolean(c.pausedAt)} />
            <Typography.Text type="secondary">{t('supervision.clock.dueAt', { at: cityTime(c.dueAt) })}</Typography.Text>
            {c.extendedWorkingDays > 0 && <Tag>{t('supervision.clock.extended', { days: c.extendedWorkingDays })}</Tag>}
          </Space>
        </div>
      ))}
      {finish && (
        <Space style={{ marginTop: 8 }}>
          {finish.pausedAt ? (
            <Tooltip title={finish.pauseReason === 'extension_pending' ? t('supervision.clock.extensionPause') : undefined}>
              <Button
                onClick={() => resume.mutate()}
                loading={resume.isPending}
                disabled={finish.pauseReason === 'extension_pending'}
                data-testid="resume-clock"
              >
                {t('supervision.clock.resume')}
              </Button>
            </Tooltip>
          ) : (
            <Button onClick={() => pause.mutate()} loading={pause.isPending} data-testid="pause-clock">
              {t('supervision.clock.pause')}
            </Button>
          )}
          {finish.pausedAt && (
            <Typography.Text type="secondary">
              {t('supervision.clock.pausedSince', {
                at: cityTime(finish.pausedAt),
                reason: t(`supervision.clock.reasons.${finish.pauseReason}`),
              })}
            </Typography.Text>
          )}
        </Space>
      )}
      <ErrorNote error={pause.error ?? resume.error} />
    </section>
  );
}

/** A note and a button; the note is kept when the service refuses. */
export function NoteForm(props: {
  /** Names the form, so each note field has its own id (several forms share a drawer). */
  name: string;
  label: string;
  submit: string;
  required?: boolean;
  pending: boolean;
  error: unknown;
  run: (note: string) => Promise<unknown>;
  danger?: boolean;
  placeholder?: string;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ note?: string }>();
  return (
    <Form
      form={form}
      name={props.name}
      layout="vertical"
      aria-label={props.submit}
      onFinish={(v) =>
        void props
          .run(v.note?.trim() ?? '')
          .then(() => form.resetFields())
          .catch(() => undefined)
      }
    >
      <Form.Item
        name="note"
        label={props.label}
        rules={props.required ? [{ required: true, min: 2, message: t('supervision.noteRequired') }] : []}
        style={{ marginBottom: 8 }}
      >
        <Input.TextArea rows={2} maxLength={2000} placeholder={props.placeholder} />
      </Form.Item>
      <Button htmlType="submit" type={props.danger ? 'default' : 'primary'} danger={props.danger} loading={props.pending}>
        {props.submit}
      </Button>
      <ErrorNote error={props.error} />
    </Form>
  );
}

export function Done({ text }: { text: string }) {
  return <Alert type="success" showIcon title={text} style={{ marginTop: 8 }} />;
}
