/** Open311 接口密钥: keys an administrator issues to a client (shown once) and revokes; the bootstrap clients from the environment. */
import { Alert, Button, Card, Form, Input, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { cityTime } from '../../app/time';
import { ErrorNote } from '../../components/ErrorNote';
import { useApiKeys, useIssueKey, useRevokeKey } from './api';
import type { ApiKeys } from './types';

type Key = ApiKeys['keys'][number];

export function Open311Page() {
  const { t } = useTranslation();
  const keys = useApiKeys();
  const issue = useIssueKey();
  const revoke = useRevokeKey();
  const [form] = Form.useForm<{ clientName: string }>();
  const issued = issue.data;
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card size="small" title={t('admin.open311.issue')}>
        <Form
          form={form}
          layout="inline"
          onFinish={(v) =>
            void issue.mutateAsync(v.clientName).then(
              () => form.resetFields(),
              () => undefined,
            )
          }
        >
          <Form.Item name="clientName" label={t('admin.open311.client')} rules={[{ required: true, min: 2 }]}>
            <Input style={{ width: 260 }} placeholder={t('admin.open311.clientExample')} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={issue.isPending}>
            {t('admin.open311.issueButton')}
          </Button>
        </Form>
        <ErrorNote error={issue.error} />
        {issued && (
          <Alert
            style={{ marginTop: 12 }}
            type="warning"
            showIcon
            data-testid="issued-key"
            title={t('admin.open311.shownOnce', { client: issued.clientName })}
            description={
              <Typography.Text code copyable data-testid="issued-key-value">
                {issued.apiKey}
              </Typography.Text>
            }
          />
        )}
      </Card>
      <Card size="small" title={t('admin.open311.keys')}>
        {keys.isError && <ErrorNote error={keys.error} />}
        <ErrorNote error={revoke.error} />
        <Table<Key>
          data-testid="open311-keys"
          rowKey="id"
          size="small"
          loading={keys.isPending}
          dataSource={keys.data?.keys ?? []}
          pagination={false}
          locale={{ emptyText: t('admin.open311.none') }}
          columns={[
            { title: t('admin.open311.client'), dataIndex: 'clientName' },
            {
              title: t('admin.open311.prefix'),
              dataIndex: 'keyPrefix',
              render: (p: string) => <Typography.Text code>{p}…</Typography.Text>,
            },
            { title: t('admin.open311.issuedAt'), dataIndex: 'createdAt', render: (v: string) => cityTime(v) },
            { title: t('admin.open311.issuedBy'), dataIndex: 'createdBy' },
            {
              title: t('admin.common.state'),
              render: (_, k) =>
                k.revokedAt ? (
                  <Tag>{t('admin.open311.revokedAt', { at: cityTime(k.revokedAt) })}</Tag>
                ) : (
                  <Tag color="green">{t('admin.common.active')}</Tag>
                ),
            },
            {
              title: '',
              width: 80,
              render: (_, k) =>
                !k.revokedAt && (
                  <Popconfirm title={t('admin.open311.revokeConfirm', { client: k.clientName })} onConfirm={() => revoke.mutate(k.id)}>
                    <Button size="small" type="link" danger>
                      {t('admin.open311.revoke')}
                    </Button>
                  </Popconfirm>
                ),
            },
          ]}
        />
        {(keys.data?.bootstrap.length ?? 0) > 0 && (
          <Alert
            style={{ marginTop: 12 }}
            type="info"
            showIcon
            title={t('admin.open311.bootstrap', { clients: keys.data!.bootstrap.map((b) => b.clientName).join('、') })}
          />
        )}
      </Card>
    </Space>
  );
}
