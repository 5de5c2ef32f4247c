/** 死信: messages a service could not apply, per service — read the reason and the body, replay once the cause is fixed. */
import { Alert, Badge, Button, Card, Space, Switch, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { cityTime } from '../../app/time';
import { ErrorNote } from '../../components/ErrorNote';
import { SERVICES, useDeadLetters, useReplay, type Service } from './api';
import type { DeadLetter } from './types';

function Letters({ service, includeReplayed }: { service: Service; includeReplayed: boolean }) {
  const { t } = useTranslation();
  const letters = useDeadLetters(service, includeReplayed);
  const replay = useReplay(service);
  return (
    <>
      {letters.isError && <ErrorNote error={letters.error} />}
      <ErrorNote error={replay.error} />
      {replay.data && (
        <Alert
          type="success"
          showIcon
          closable
          style={{ marginBottom: 8 }}
          title={t('admin.deadLetters.replayed', { result: replay.data.result })}
        />
      )}
      <Table<DeadLetter>
        data-testid={`dead-letters-${service}`}
        rowKey="id"
        size="small"
        loading={letters.isPending}
        dataSource={letters.data ?? []}
        pagination={{ pageSize: 20, showSizeChanger: false }}
        locale={{ emptyText: t('admin.deadLetters.none') }}
        expandable={{
          expandedRowRender: (l) => (
            <Space orientation="vertical" style={{ width: '100%' }}>
              <Typography.Text type="secondary">{t('admin.deadLetters.errors')}</Typography.Text>
              <pre style={{ whiteSpace: 'pre-wrap', margin: 0, fontSize: 12 }}>{JSON.stringify(l.errors, null, 2)}</pre>
              <Typography.Text type="secondary">{t('admin.deadLetters.payload')}</Typography.Text>
              <pre style={{ whiteSpace: 'pre-wrap', margin: 0, fontSize: 12, maxHeight: 240, overflow: 'auto' }}>{l.payload}</pre>
            </Space>
          ),
        }}
        columns={[
          { title: t('admin.deadLetters.at'), dataIndex: 'createdAt', width: 140, render: (v: string) => cityTime(v) },
          { title: t('admin.deadLetters.type'), dataIndex: 'eventType', width: 220, render: (v: string | null) => v ?? '—' },
          { title: t('admin.deadLetters.consumer'), dataIndex: 'consumer', width: 180 },
          { title: t('admin.deadLetters.reason'), dataIndex: 'reason', ellipsis: true },
          { title: t('admin.deadLetters.deliveries'), dataIndex: 'deliveries', width: 70 },
          {
            title: '',
            width: 110,
            render: (_, l) =>
              l.replayedAt ? (
                <Tag>{t('admin.deadLetters.replayedAt', { at: cityTime(l.replayedAt) })}</Tag>
              ) : (
                <Button size="small" onClick={() => replay.mutate(l.id)} loading={replay.isPending && replay.variables === l.id}>
                  {t('admin.deadLetters.replay')}
                </Button>
              ),
          },
        ]}
      />
    </>
  );
}

function Count({ service }: { service: Service }) {
  const n = useDeadLetters(service, false).data?.length ?? 0;
  return <Badge count={n} showZero color={n ? '#fa541c' : '#d9d9d9'} style={{ marginInlineStart: 4 }} />;
}

export function DeadLettersPage() {
  const { t } = useTranslation();
  const [includeReplayed, setIncludeReplayed] = useState(false);
  return (
    <Card
      size="small"
      title={t('admin.deadLetters.title')}
      extra={
        <Space>
          <Switch checked={includeReplayed} onChange={setIncludeReplayed} /> {t('admin.deadLetters.includeReplayed')}
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">{t('admin.deadLetters.hint')}</Typography.Paragraph>
      <Tabs
        items={SERVICES.map((s) => ({
          key: s,
          label: (
            <span>
              {t(`admin.deadLetters.services.${s}`)}
              <Count service={s} />
            </span>
          ),
          children: <Letters service={s} includeReplayed={includeReplayed} />,
        }))}
      />
    </Card>
  );
}
