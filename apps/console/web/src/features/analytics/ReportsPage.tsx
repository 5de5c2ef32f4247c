/** 统计报表: the daily summary, weekly bulletin and monthly ranking — generate, open on screen, download as Excel or PDF. */
import { Alert, Button, Card, DatePicker, Drawer, Form, Segmented, Select, Space, Table, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../api/session';
import { CITY_TZ, cityTime, dayjs } from '../../app/time';
import { ErrorNote } from '../../components/ErrorNote';
import { reportUrl, useGenerateReport, useReports } from './api';
import { DISTRICTS, type ReportKind, type ReportSummary } from './types';

const KINDS: ReportKind[] = ['daily', 'weekly', 'monthly'];

function GenerateForm() {
  const { t } = useTranslation();
  const user = useSession().data;
  const city = user?.districts.includes('*') ?? false;
  const own = user?.districts.filter((d) => d !== '*') ?? [];
  const generate = useGenerateReport();
  const [kind, setKind] = useState<ReportKind>('monthly');
  const [date, setDate] = useState<Dayjs>(() => dayjs().tz(CITY_TZ));
  const [districtCode, setDistrictCode] = useState<string>(city ? '' : (own[0] ?? ''));
  return (
    <Form
      layout="inline"
      onFinish={() => generate.mutate({ kind, date: date.format('YYYY-MM-DD'), districtCode: districtCode || undefined })}
    >
      <Form.Item label={t('analytics.reports.kindLabel')}>
        <Select<ReportKind>
          aria-label={t('analytics.reports.kindLabel')}
          style={{ width: 120 }}
          value={kind}
          onChange={setKind}
          options={KINDS.map((k) => ({ value: k, label: t(`analytics.reports.kind.${k}`) }))}
        />
      </Form.Item>
      <Form.Item label={t('analytics.reports.date')}>
        <DatePicker
          aria-label={t('analytics.reports.date')}
          allowClear={false}
          picker={kind === 'monthly' ? 'month' : kind === 'weekly' ? 'week' : 'date'}
          value={date}
          onChange={(d: Dayjs | null) => d && setDate(d)}
        />
      </Form.Item>
      <Form.Item label={t('analytics.reports.district')}>
        <Select<string>
          aria-label={t('analytics.reports.district')}
          style={{ width: 170 }}
          value={districtCode}
          onChange={setDistrictCode}
          options={[
            ...(city ? [{ value: '', label: t('analytics.ranking.allDistricts') }] : []),
            ...DISTRICTS.filter((d) => city || own.includes(d.code)).map((d) => ({ value: d.code, label: d.zh })),
          ]}
        />
      </Form.Item>
      <Form.Item>
        <Button type="primary" htmlType="submit" loading={generate.isPending}>
          {t('analytics.reports.generate')}
        </Button>
      </Form.Item>
      {generate.data && (
        <div data-testid="generated">
          <Alert type="success" showIcon title={t('analytics.reports.generated', { title: generate.data.title })} />
        </div>
      )}
      <ErrorNote error={generate.error} />
    </Form>
  );
}

export function ReportsPage() {
  const { t } = useTranslation();
  const [kind, setKind] = useState<ReportKind | 'all'>('all');
  const [open, setOpen] = useState<ReportSummary | null>(null);
  const q = useReports(kind === 'all' ? null : kind);
  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }}>
      <Card size="small">
        <GenerateForm />
      </Card>
      <Card
        size="small"
        title={
          <Segmented<ReportKind | 'all'>
            value={kind}
            onChange={setKind}
            options={(['all', ...KINDS] as const).map((k) => ({
              value: k,
              label: k === 'all' ? t('analytics.reports.all') : t(`analytics.reports.kind.${k}`),
            }))}
          />
        }
      >
        <ErrorNote error={q.error} />
        <Table<ReportSummary>
          data-testid="reports"
          size="small"
          rowKey="id"
          loading={q.isFetching}
          dataSource={q.data?.items ?? []}
          locale={{ emptyText: t('analytics.reports.empty') }}
          pagination={{ pageSize: 12, showSizeChanger: false }}
          columns={[
            {
              title: t('analytics.reports.title'),
              dataIndex: 'title',
              render: (v: string, r) => (
                <Typography.Link onClick={() => setOpen(r)} data-testid="report-title">
                  {v}
                </Typography.Link>
              ),
            },
            {
              title: t('analytics.reports.kindLabel'),
              dataIndex: 'kind',
              width: 90,
              render: (k: ReportKind) => t(`analytics.reports.kind.${k}`),
            },
            {
              title: t('analytics.reports.period'),
              key: 'period',
              width: 200,
              render: (_: unknown, r) => (r.periodFrom === r.periodTo ? r.periodFrom : `${r.periodFrom} ~ ${r.periodTo}`),
            },
            { title: t('analytics.reports.generatedAt'), dataIndex: 'generatedAt', width: 140, render: (v: string) => cityTime(v) },
            {
              title: t('analytics.reports.generatedBy'),
              dataIndex: 'generatedBy',
              width: 100,
              render: (v: string) => (v === 'schedule' ? t('analytics.reports.schedule') : v),
            },
            {
              title: '',
              key: 'actions',
              width: 250,
              render: (_: unknown, r) => (
                <Space size={4}>
                  <Button size="small" onClick={() => setOpen(r)}>
                    {t('analytics.reports.open')}
                  </Button>
                  <Button size="small" href={reportUrl(r, 'xlsx')} download data-testid="download-xlsx">
                    {t('analytics.reports.xlsx')}
                  </Button>
                  <Button size="small" href={reportUrl(r, 'pdf')} download data-testid="download-pdf">
                    {t('analytics.reports.pdf')}
                  </Button>
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <Drawer
        open={open !== null}
        onClose={() => setOpen(null)}
        size={1000}
        destroyOnHidden
        title={open?.title}
        extra={
          open && (
            <Space>
              <Button href={reportUrl(open, 'xlsx')} download>
                {t('analytics.reports.xlsx')}
              </Button>
              <Button type="primary" href={reportUrl(open, 'pdf')} download>
                {t('analytics.reports.pdf')}
              </Button>
            </Space>
          )
        }
      >
        {open && (
          <iframe
            title={open.title}
            data-testid="report-frame"
            src={reportUrl(open, 'html')}
            sandbox=""
            style={{ width: '100%', height: 'calc(100vh - 140px)', border: 'none' }}
          />
        )}
      </Drawer>
    </Space>
  );
}
