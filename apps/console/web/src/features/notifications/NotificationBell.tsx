import { BellOutlined } from '@ant-design/icons';
import { Badge, Button, Drawer, Empty, List, notification, Space, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { onLiveEvent } from '../../app/live/useLiveEvents';
import { cityTime } from '../../app/time';
import { useInbox, useMarkAllRead, useMarkRead, useUnreadCount } from './api';

/**
 * 消息: the bell in the header with the unread count, a drawer with the person's notifications, and a
 * toast when notify tells them of something (notification.created.v1 on the live stream, which the
 * console sends to its recipient only).
 */
export function NotificationBell({ enabled }: { enabled: boolean }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const unread = useUnreadCount(enabled);
  const inbox = useInbox(enabled && open);
  const read = useMarkRead();
  const readAll = useMarkAllRead();
  const [toast, holder] = notification.useNotification();

  useEffect(
    () =>
      onLiveEvent((e) => {
        if (e.type !== 'notification.created.v1') return;
        const title = typeof e.data?.title === 'string' ? e.data.title : t('notifications.title');
        const body = typeof e.data?.body === 'string' ? e.data.body : '';
        (e.data?.urgent === true ? toast.warning : toast.info)({ message: title, description: body, placement: 'topRight' });
      }),
    [toast, t],
  );

  return (
    <>
      {holder}
      <Badge count={unread.data ?? 0} size="small" overflowCount={99}>
        <Button
          type="text"
          aria-label={t('notifications.open', { count: unread.data ?? 0 })}
          icon={<BellOutlined aria-hidden />}
          onClick={() => setOpen(true)}
          data-testid="notification-bell"
        />
      </Badge>
      <Drawer
        title={t('notifications.title')}
        open={open}
        onClose={() => setOpen(false)}
        width={420}
        extra={
          <Button size="small" disabled={!unread.data} loading={readAll.isPending} onClick={() => readAll.mutate(undefined)}>
            {t('notifications.readAll')}
          </Button>
        }
      >
        <List
          loading={inbox.isLoading}
          dataSource={inbox.data?.items ?? []}
          locale={{ emptyText: <Empty description={t('notifications.empty')} /> }}
          renderItem={(n) => (
            <List.Item
              key={n.id}
              actions={
                n.readAt
                  ? []
                  : [
                      <Button key="read" size="small" type="link" onClick={() => read.mutate(n.id)}>
                        {t('notifications.markRead')}
                      </Button>,
                    ]
              }
            >
              <List.Item.Meta
                title={
                  <Space size={4}>
                    {n.urgent && <Tag color="red">{t('notifications.urgent')}</Tag>}
                    <Typography.Text strong={!n.readAt}>{n.title}</Typography.Text>
                  </Space>
                }
                description={
                  <>
                    <Typography.Paragraph style={{ marginBottom: 4 }}>{n.body}</Typography.Paragraph>
                    <Typography.Text type="secondary">{cityTime(n.createdAt)}</Typography.Text>
                  </>
                }
              />
            </List.Item>
          )}
        />
      </Drawer>
    </>
  );
}
