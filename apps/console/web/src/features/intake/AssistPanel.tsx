import { Button, Card, Empty, List, Select, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { cityTime } from '../../app/time';
import type { Decision } from './DeskPage';
import { NOT_ACCEPTED_REASONS, type AssistView } from './types';

interface Props {
  assist: AssistView | undefined;
  loading: boolean;
  merge: { ticketId: string; orderNo: string } | null;
  onMerge: (m: { ticketId: string; orderNo: string }) => void;
  onDecide: (d: Decision) => void;
  busy: boolean;
}

/** Beside the form: open orders on the same matter (merge), knowledge-base answers, and refusal. */
export function AssistPanel({ assist, loading, merge, onMerge, onDecide, busy }: Props) {
  const { t } = useTranslation();
  const [reason, setReason] = useState<(typeof NOT_ACCEPTED_REASONS)[number] | undefined>();
  return (
    <>
      <Card size="small" title={t('intake.assist.duplicates')} loading={loading && !assist} data-testid="duplicates">
        {assist?.duplicates.length ? (
          <List
            size="small"
            dataSource={assist.duplicates}
            renderItem={(d) => (
              <List.Item
                actions={[
                  <Button
                    key="merge"
                    size="small"
                    type={merge?.ticketId === d.id ? 'primary' : 'default'}
                    onClick={() => onMerge({ ticketId: d.id, orderNo: d.orderNo })}
                  >
                    {t('intake.assist.merge')}
                  </Button>,
                ]}
              >
                <List.Item.Meta
                  title={
                    <Space size={4}>
                      <Typography.Text strong>{d.orderNo}</Typography.Text>
                      <Tag>{t(`intake.progress.${d.progress}`, { defaultValue: d.progress })}</Tag>
                    </Space>
                  }
                  description={t('intake.assist.duplicateLine', {
                    address: d.address,
                    at: cityTime(d.acceptedAt, 'MM-DD HH:mm'),
                    count: d.citizenCount,
                    similarity: Math.round(d.similarity * 100),
                  })}
                />
              </List.Item>
            )}
          />
        ) : (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('intake.assist.noDuplicates')} />
        )}
      </Card>
      <Card size="small" title={t('intake.assist.articles')} data-testid="articles">
        {assist?.articles.length ? (
          <List
            size="small"
            dataSource={assist.articles.slice(0, 3)}
            renderItem={(a) => (
              <List.Item>
                <Space direction="vertical" size={4} style={{ width: '100%' }}>
                  <Typography.Text strong>{a.title}</Typography.Text>
                  <Typography.Paragraph ellipsis={{ rows: 3, expandable: true, symbol: t('intake.assist.more') }} style={{ marginBottom: 0 }}>
                    {a.body}
                  </Typography.Paragraph>
                  <Button size="small" loading={busy} onClick={() => onDecide({ kind: 'answered', articleId: a.id, answer: a.body })}>
                    {t('intake.assist.answered')}
                  </Button>
                </Space>
              </List.Item>
            )}
          />
        ) : (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('intake.assist.noArticles')} />
        )}
      </Card>
      <Card size="small" title={t('intake.refusal.title')} data-testid="refusal">
        <Space.Compact style={{ width: '100%' }}>
          <Select
            aria-label={t('intake.refusal.reason')}
            placeholder={t('intake.refusal.reason')}
            value={reason}
            onChange={setReason}
            style={{ flex: 1 }}
            options={NOT_ACCEPTED_REASONS.map((r) => ({ value: r, label: t(`intake.refusal.reasons.${r}`) }))}
          />
          <Button danger disabled={!reason} loading={busy} onClick={() => reason && onDecide({ kind: 'not_accepted', reason })}>
            {t('intake.refusal.submit')}
          </Button>
        </Space.Compact>
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
          {t('intake.refusal.hint')}
        </Typography.Paragraph>
      </Card>
    </>
  );
}
