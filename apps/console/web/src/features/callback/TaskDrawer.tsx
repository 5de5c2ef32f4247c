/**
 * One callback task: the order's number and the reply as the citizen heard it, the due time, every
 * attempt; the holder reveals the number (audited), records a failed attempt or the answers, or texts
 * the survey link. Steps the person may not take now are disabled with the reason.
 */
import { Alert, Button, Descriptions, Drawer, Form, Input, Radio, Skeleton, Space, Tag, Timeline, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { usePeopleNames } from '../../api/directory';
import { cityTime } from '../../app/time';
import { useSession } from '../../api/session';
import { ErrorNote, useErrorText } from '../../components/ErrorNote';
import { Countdown, useNow } from '../handling/Countdown';
import { useAttempt, useClaim, useComplete, useRelease, useRevealContact, useSendSms, useTask } from './api';
import type { AttemptResult, Satisfaction, TaskDetail } from './types';

const RESULTS: AttemptResult[] = ['no_answer', 'busy', 'wrong_number', 'refused'];
const SATISFACTION: Satisfaction[] = ['satisfied', 'basically_satisfied', 'unsatisfied'];

interface Answers {
  contacted: boolean;
  resolved: boolean;
  satisfaction: Satisfaction;
  comment?: string;
}

function Reveal({ task }: { task: TaskDetail }) {
  const { t } = useTranslation();
  const reveal = useRevealContact(task.id);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space>
        <Button onClick={() => reveal.mutate()} loading={reveal.isPending} disabled={Boolean(reveal.data)} data-testid="reveal">
          {t('callback.reveal')}
        </Button>
        {reveal.data && (
          <Typography.Text strong data-testid="revealed-contact">
            {reveal.data.name ?? ''} {reveal.data.phone ?? t('callback.noPhone')}
          </Typography.Text>
        )}
      </Space>
      <ErrorNote error={reveal.error} />
    </Space>
  );
}

function Work({ task }: { task: TaskDetail }) {
  const { t } = useTranslation();
  const attempt = useAttempt(task.id);
  const complete = useComplete(task.id);
  const sms = useSendSms(task.id);
  const release = useRelease(task.id);
  const [form] = Form.useForm<Answers>();
  const waiting = task.callableFrom ? t('callback.callableFrom', { at: cityTime(task.callableFrom, 'MM-DD HH:mm') }) : null;
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Reveal task={task} />
      <section aria-label={t('callback.attemptTitle')}>
        <Typography.Text strong>{t('callback.attemptTitle')}</Typography.Text>
        <div style={{ marginTop: 6 }}>
          <Space wrap>
            {RESULTS.map((r) => (
              <Tooltip key={r} title={waiting ?? undefined}>
                <Button
                  danger={r === 'wrong_number' || r === 'refused'}
                  disabled={Boolean(waiting)}
                  loading={attempt.isPending && attempt.variables === r}
                  onClick={() => attempt.mutate(r)}
                >
                  {t(`callback.results.${r}`)}
                </Button>
              </Tooltip>
            ))}
          </Space>
        </div>
        <ErrorNote error={attempt.error} />
      </section>
      <Form<Answers>
        form={form}
        layout="vertical"
        aria-label={t('callback.answersTitle')}
        initialValues={{ contacted: true }}
        onFinish={(v) => void complete.mutateAsync({ ...v, comment: v.comment?.trim() || undefined }).catch(() => undefined)}
      >
        <Typography.Text strong>{t('callback.answersTitle')}</Typography.Text>
        <Form.Item name="contacted" label={t('callback.questions.contacted')} rules={[{ required: true }]} style={{ marginTop: 6 }}>
          <Radio.Group
            options={[
              { value: true, label: t('callback.yes') },
              { value: false, label: t('callback.no') },
            ]}
          />
        </Form.Item>
        <Form.Item name="resolved" label={t('callback.questions.resolved')} rules={[{ required: true, message: t('callback.required') }]}>
          <Radio.Group
            options={[
              { value: true, label: t('callback.resolvedYes') },
              { value: false, label: t('callback.resolvedNo') },
            ]}
          />
        </Form.Item>
        <Form.Item
          name="satisfaction"
          label={t('callback.questions.satisfaction')}
          rules={[{ required: true, message: t('callback.required') }]}
        >
          <Radio.Group options={SATISFACTION.map((s) => ({ value: s, label: t(`callback.satisfaction.${s}`) }))} />
        </Form.Item>
        <Form.Item name="comment" label={t('callback.questions.comment')}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
        <Space wrap>
          <Button type="primary" htmlType="submit" loading={complete.isPending}>
            {t('callback.submitAnswers')}
          </Button>
          <Button onClick={() => sms.mutate()} loading={sms.isPending} data-testid="send-sms">
            {t('callback.sendSms')}
          </Button>
          <Button onClick={() => release.mutate()} loading={release.isPending}>
            {t('callback.release')}
          </Button>
        </Space>
        {sms.data && (
          <Alert
            style={{ marginTop: 12 }}
            type="success"
            showIcon
            data-testid="sms-sent"
            title={t('callback.smsSent', { to: sms.data.sentTo, until: cityTime(sms.data.expiresAt) })}
          />
        )}
        <ErrorNote error={complete.error ?? sms.error ?? release.error} />
      </Form>
    </Space>
  );
}

function Outcome({ task }: { task: TaskDetail }) {
  const { t } = useTranslation();
  if (task.state === 'failed') return <Alert type="warning" showIcon title={t('callback.failedNote')} />;
  const unsolved = task.resolved === false || task.satisfaction === 'unsatisfied';
  return (
    <Alert
      type={unsolved ? 'error' : 'success'}
      showIcon
      data-testid="task-outcome"
      title={`${t('callback.questions.resolved')} ${task.resolved ? t('callback.resolvedYes') : t('callback.resolvedNo')} · ${task.satisfaction ? t(`callback.satisfaction.${task.satisfaction}`) : ''}`}
      description={task.comment ?? undefined}
    />
  );
}

export function TaskDrawer(props: { id: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const user = useSession().data;
  const now = useNow();
  const q = useTask(props.id);
  const claim = useClaim(props.id ?? '');
  const task = q.data;
  const nameOf = usePeopleNames(task?.attemptLog.map((a) => a.agent) ?? []);
  const mine = task?.state === 'claimed' && task.claimedBy === user?.id;
  const open = task?.state === 'pending' || task?.state === 'claimed';
  // After an unanswered call the citizen may be called again only from callableFrom (the page's clock ticks).
  const notYet = Boolean(task?.callableFrom && Date.parse(task.callableFrom) > now);
  return (
    <Drawer
      open={Boolean(props.id)}
      onClose={props.onClose}
      size="large"
      width={760}
      destroyOnHidden
      title={
        task ? (
          <Space wrap data-testid="task-header">
            <Typography.Text strong copyable style={{ fontSize: 16 }}>
              {task.orderNo ?? task.ticketId}
            </Typography.Text>
            <Tag color="blue" data-testid="task-state">
              {t(`callback.states.${task.state}`)}
            </Tag>
            <Tag>{t(`callback.kinds.${task.kind}`)}</Tag>
            {task.cycle > 1 && <Tag color="volcano">{t('callback.rework', { cycle: task.cycle })}</Tag>}
            {task.overdue && <Tag color="red">{t('callback.overdue')}</Tag>}
            <Countdown due={task.dueAt} start={task.createdAt} met={!open} now={now} label={t('callback.fields.due')} />
          </Space>
        ) : (
          t('app.loading')
        )
      }
    >
      {q.isPending && <Skeleton active />}
      {q.isError && <Alert type="error" showIcon title={errorText(q.error).title} description={errorText(q.error).detail} />}
      {task && (
        <Space direction="vertical" size="middle" style={{ width: '100%' }}>
          <Descriptions size="small" column={2} bordered>
            <Descriptions.Item label={t('callback.fields.reply')} span={2}>
              <Typography.Paragraph style={{ margin: 0, whiteSpace: 'pre-wrap' }} data-testid="task-reply">
                {task.publicReply ?? t('callback.noReply')}
              </Typography.Paragraph>
            </Descriptions.Item>
            <Descriptions.Item label={t('callback.fields.dueAt')}>{cityTime(task.dueAt)}</Descriptions.Item>
            <Descriptions.Item label={t('callback.fields.attempts')}>
              {t('callback.attemptCount', { count: task.attempts })}
            </Descriptions.Item>
            {task.claimedUntil && (
              <Descriptions.Item label={t('callback.fields.claimedUntil')} span={2}>
                {cityTime(task.claimedUntil)}
                {!mine && ` · ${t('callback.heldByOther')}`}
              </Descriptions.Item>
            )}
            {task.identityHidden && (
              <Descriptions.Item label={t('callback.fields.identity')} span={2}>
                {t('callback.identityHidden')}
              </Descriptions.Item>
            )}
          </Descriptions>
          {task.attemptLog.length > 0 && (
            <section aria-label={t('callback.attemptLog')}>
              <Typography.Title level={5}>{t('callback.attemptLog')}</Typography.Title>
              <Timeline
                data-testid="attempt-log"
                items={task.attemptLog.map((a) => ({
                  key: a.id,
                  color: 'gray',
                  children: `${cityTime(a.at)} · ${t(`callback.results.${a.result}`)} · ${nameOf(a.agent)}`,
                }))}
              />
              {task.callableFrom && (
                <Alert type="info" showIcon data-testid="comes-back" title={t('callback.comesBack', { at: cityTime(task.callableFrom) })} />
              )}
            </section>
          )}
          {open && !mine && (
            <Space direction="vertical">
              <Tooltip title={notYet ? t('callback.callableFrom', { at: cityTime(task.callableFrom, 'MM-DD HH:mm') }) : undefined}>
                <Button type="primary" onClick={() => claim.mutate()} loading={claim.isPending} disabled={notYet} data-testid="claim">
                  {t('callback.claim')}
                </Button>
              </Tooltip>
              <ErrorNote error={claim.error} />
            </Space>
          )}
          {mine && <Work task={task} />}
          {!open && <Outcome task={task} />}
        </Space>
      )}
    </Drawer>
  );
}
