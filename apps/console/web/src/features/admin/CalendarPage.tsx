/** 工作日历: where each year's calendar comes from, its overrides, and declaring a year from the State Council's notice. */
import { Alert, Button, Card, Col, Form, Input, Popconfirm, Row, Segmented, Space, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { dayjs } from '../../app/time';
import { ErrorNote } from '../../components/ErrorNote';
import { useCalendarStatus, useCalendarYear, useDeclareYear, useRemoveDay } from './api';
import { CalendarAlarm } from './CalendarAlarm';
import { parseCalendarLines } from './calendar-lines';
import type { CalendarDay } from './types';

function YearOverrides({ year }: { year: number }) {
  const { t } = useTranslation();
  const y = useCalendarYear(year);
  const remove = useRemoveDay();
  const weekday = (d: string) => dayjs(d).format('ddd');
  return (
    <Card size="small" title={t('admin.calendar.overrides', { year })} data-testid="calendar-overrides">
      {y.isError && <ErrorNote error={y.error} />}
      {y.data && (
        <Typography.Paragraph>
          {t('admin.calendar.source')}：
          {y.data.source ? (
            <Tag color="blue">{t(`admin.calendar.sources.${y.data.source}`, { defaultValue: y.data.source })}</Tag>
          ) : (
            <Tag color="red">{t('admin.calendar.noSource')}</Tag>
          )}
        </Typography.Paragraph>
      )}
      <ErrorNote error={remove.error} />
      <Table<CalendarDay>
        rowKey="day"
        size="small"
        loading={y.isPending}
        dataSource={y.data?.overrides ?? []}
        pagination={false}
        scroll={{ y: 300 }}
        locale={{ emptyText: t('admin.calendar.noOverrides') }}
        columns={[
          { title: t('admin.calendar.day'), dataIndex: 'day', render: (d: string) => `${d}（${weekday(d)}）` },
          {
            title: t('admin.calendar.kind'),
            dataIndex: 'working',
            render: (w: boolean) =>
              w ? <Tag color="orange">{t('admin.calendar.work')}</Tag> : <Tag color="green">{t('admin.calendar.rest')}</Tag>,
          },
          { title: t('admin.calendar.note'), dataIndex: 'note' },
          {
            title: '',
            width: 70,
            render: (_, d) => (
              <Popconfirm title={t('admin.calendar.removeConfirm')} onConfirm={() => remove.mutate(d.day)}>
                <Button size="small" type="link" danger>
                  {t('admin.common.delete')}
                </Button>
              </Popconfirm>
            ),
          },
        ]}
      />
    </Card>
  );
}

function DeclareYear({ year }: { year: number }) {
  const { t } = useTranslation();
  const declare = useDeclareYear();
  const [text, setText] = useState('');
  const [source, setSource] = useState('');
  const parsed = useMemo(() => parseCalendarLines(text, year), [text, year]);
  const rest = parsed.days.filter((d) => !d.working).length;
  const work = parsed.days.length - rest;
  const r = declare.data;
  return (
    <Card size="small" title={t('admin.calendar.declare', { year })} data-testid="calendar-declare">
      <Form layout="vertical" size="small">
        <Form.Item label={t('admin.calendar.notice')} required>
          <Input
            aria-label={t('admin.calendar.notice')}
            value={source}
            placeholder={t('admin.calendar.noticeExample', { year })}
            onChange={(e) => setSource(e.target.value)}
          />
        </Form.Item>
        <Form.Item label={t('admin.calendar.lines')} extra={t('admin.calendar.linesHint', { year })}>
          <Input.TextArea
            aria-label={t('admin.calendar.lines')}
            rows={8}
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder={t('admin.calendar.linesExample', { year })}
            style={{ fontFamily: 'monospace' }}
          />
        </Form.Item>
      </Form>
      {parsed.problems.map((p) => (
        <Alert
          key={p.line}
          type="warning"
          showIcon
          style={{ marginBottom: 4 }}
          title={t('admin.calendar.lineProblem', {
            line: p.line,
            text: p.text,
            reason: t(`admin.calendar.problems.${p.reason}`, { year }),
          })}
        />
      ))}
      <Space wrap>
        <Typography.Text data-testid="calendar-parsed">{t('admin.calendar.parsed', { rest, work })}</Typography.Text>
        <Button
          type="primary"
          disabled={source.trim().length < 2 || parsed.problems.length > 0}
          loading={declare.isPending}
          onClick={() =>
            void declare.mutateAsync({ year, source: source.trim(), days: parsed.days }).then(
              () => setText(''),
              () => undefined,
            )
          }
        >
          {t('admin.calendar.declareButton', { year })}
        </Button>
      </Space>
      <ErrorNote error={declare.error} />
      {r && (
        <Alert
          style={{ marginTop: 8 }}
          type="success"
          showIcon
          title={t('admin.calendar.declared', { year: r.year, days: r.days, moved: r.clocksMoved, recomputed: r.clocksRecomputed })}
        />
      )}
    </Card>
  );
}

export function CalendarPage() {
  const { t } = useTranslation();
  const status = useCalendarStatus().data;
  const years = status?.years.map((y) => y.year) ?? [];
  const firstMissing = status?.missingYears[0]?.year;
  const [picked, setPicked] = useState<number>();
  const year = picked ?? firstMissing ?? years[years.length - 1] ?? new Date().getFullYear();
  const sourceOf = (y: number) => status?.years.find((x) => x.year === y)?.source;
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <CalendarAlarm withLink={false} />
      <Segmented
        value={year}
        onChange={(v) => setPicked(Number(v))}
        options={years.map((y) => ({
          value: y,
          label: `${y} · ${t(`admin.calendar.sources.${sourceOf(y) ?? 'none'}`)}`,
        }))}
      />
      <Row gutter={16}>
        <Col span={12}>
          <DeclareYear key={year} year={year} />
        </Col>
        <Col span={12}>
          <YearOverrides year={year} />
        </Col>
      </Row>
    </Space>
  );
}
