import { Card, Empty, List, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { cityTime } from '../../app/time';
import { useTicketSearch } from './hooks';

/** The caller's earlier orders, as soon as their number is typed: a repeat caller is visible at once. */
export function CallerHistory({ phone }: { phone: string | undefined }) {
  const { t } = useTranslation();
  const history = useTicketSearch(phone ? { phone, pageSize: 5 } : null);
  const items = phone ? (history.data?.items ?? []) : [];
  return (
    <Card
      size="small"
      title={t('intake.history.title')}
      extra={phone && history.data ? t('intake.history.count', { count: history.data.total }) : null}
      loading={Boolean(phone) && history.isPending}
      data-testid="caller-history"
    >
      {items.length ? (
        <List
          size="small"
          dataSource={items}
          renderItem={(o) => (
            <List.Item>
              <Space direction="vertical" size={0} style={{ width: '100%' }}>
                <Space size={4}>
                  <Typography.Text strong>{o.orderNo}</Typography.Text>
                  <Tag>{t(`intake.progress.${o.progress}`, { defaultValue: o.progress })}</Tag>
                  <Typography.Text type="secondary">{cityTime(o.acceptedAt, 'YYYY-MM-DD')}</Typography.Text>
                </Space>
                <Typography.Text ellipsis style={{ maxWidth: 360 }}>
                  {o.content}
                </Typography.Text>
              </Space>
            </List.Item>
          )}
        />
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={phone ? t('intake.history.none') : t('intake.history.typePhone')} />
      )}
    </Card>
  );
}
