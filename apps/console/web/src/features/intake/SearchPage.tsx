import { Button, Card, DatePicker, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { cityDayEnd, cityDayStart, cityTime } from '../../app/time';
import { ErrorNote } from '../../components/ErrorNote';
import { usePlaceLine, usePlaces, useTicketSearch, type SearchParams } from './hooks';
import { PROGRESS, type TicketView } from './types';

interface Filters {
  orderNo?: string;
  phone?: string;
  q?: string;
  range?: [Dayjs | null, Dayjs | null] | null;
  status?: SearchParams extends infer P ? (P extends { status?: infer S } ? S : never) : never;
  districtCode?: string;
}

const PAGE_SIZE = 20;

/** 工单查询: by number, phone, words of the content, dates, state, district — paged on the server. */
export function SearchPage() {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<Filters>();
  const [query, setQuery] = useState<SearchParams | null>(null);
  const places = usePlaces();
  const placeLine = usePlaceLine();
  const result = useTicketSearch(query);
  const lang = i18n.language === 'en' ? 'nameEn' : 'nameZh';

  const run = (f: Filters) => {
    const [from, to] = f.range ?? [null, null];
    setQuery({
      ...(f.orderNo?.trim() ? { orderNo: f.orderNo.trim() } : {}),
      ...(f.phone?.trim() ? { phone: f.phone.trim() } : {}),
      ...(f.q?.trim() ? { q: f.q.trim() } : {}),
      ...(from ? { from: cityDayStart(from.format('YYYY-MM-DD')) } : {}),
      ...(to ? { to: cityDayEnd(to.format('YYYY-MM-DD')) } : {}),
      ...(f.status ? { status: f.status } : {}),
      ...(f.districtCode ? { districtCode: f.districtCode } : {}),
      page: 1,
      pageSize: PAGE_SIZE,
    });
  };

  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }}>
      <Card size="small">
        <Form<Filters> form={form} layout="inline" onFinish={run} style={{ rowGap: 8 }}>
          <Form.Item label={t('intake.fields.orderNo')} name="orderNo">
            <Input allowClear style={{ width: 170 }} autoFocus />
          </Form.Item>
          <Form.Item label={t('intake.fields.phone')} name="phone">
            <Input allowClear style={{ width: 140 }} />
          </Form.Item>
          <Form.Item label={t('intake.search.words')} name="q">
            <Input allowClear style={{ width: 160 }} />
          </Form.Item>
          <Form.Item label={t('intake.search.dates')} name="range">
            <DatePicker.RangePicker style={{ width: 240 }} />
          </Form.Item>
          <Form.Item label={t('intake.search.status')} name="status">
            <Select allowClear style={{ width: 120 }} options={PROGRESS.map((p) => ({ value: p, label: t(`intake.progress.${p}`) }))} />
          </Form.Item>
          <Form.Item label={t('intake.fields.district')} name="districtCode">
            <Select
              allowClear
              style={{ width: 120 }}
              options={(places.data?.districts ?? []).map((d) => ({ value: d.code, label: d[lang] }))}
            />
          </Form.Item>
          <Form.Item>
            <Space>
              <Button type="primary" htmlType="submit">
                {t('intake.search.submit')}
              </Button>
              <Button
                onClick={() => {
                  form.resetFields();
                  setQuery(null);
                }}
              >
                {t('intake.search.reset')}
              </Button>
            </Space>
          </Form.Item>
        </Form>
        <ErrorNote error={result.error} />
      </Card>
      <Card size="small">
        <Table<TicketView>
          rowKey="id"
          size="small"
          loading={result.isFetching}
          dataSource={result.data?.items ?? []}
          locale={{ emptyText: query ? t('intake.search.none') : t('intake.search.prompt') }}
          scroll={{ y: 440 }}
          pagination={{
            current: query?.page ?? 1,
            pageSize: PAGE_SIZE,
            total: result.data?.total ?? 0,
            showSizeChanger: false,
            showTotal: (total) => t('intake.search.total', { total }),
            onChange: (page) => setQuery((q) => (q ? { ...q, page } : q)),
          }}
          columns={[
            {
              title: t('intake.fields.orderNo'),
              dataIndex: 'orderNo',
              width: 160,
              render: (v: string) => <Typography.Text strong>{v}</Typography.Text>,
            },
            { title: t('intake.search.acceptedAt'), dataIndex: 'acceptedAt', width: 140, render: (v: string) => cityTime(v) },
            { title: t('intake.fields.content'), dataIndex: 'content', ellipsis: true },
            {
              title: t('intake.places.place'),
              width: 150,
              // The district and the most precise place known (社区 before 街道).
              render: (_: unknown, r) => placeLine([r.location.districtCode, r.location.communityCode ?? r.location.streetCode], true),
            },
            { title: t('intake.fields.phone'), width: 120, render: (_: unknown, r) => r.citizen?.phone ?? '' },
            {
              title: t('intake.search.status'),
              dataIndex: 'progress',
              width: 90,
              render: (v: string) => <Tag>{t(`intake.progress.${v}`, { defaultValue: v })}</Tag>,
            },
          ]}
        />
      </Card>
    </Space>
  );
}
