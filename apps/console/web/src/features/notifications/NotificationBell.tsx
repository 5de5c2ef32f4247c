import { BellOutlined } from '@ant-design/icons';
import { Badge, Button, Drawer, Empty, List, notification, Space, Tag, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { useSession } from '../../api/session';
import { screensFor } from '../../app/nav';
import { onLiveEvent } from '../../app/live/useLiveEvents';
import { cityTime } from '../../app/time';
import { useInbox, useMarkAllRead, useMarkRead, useUnreadCount, type NotificationView } from './api';

/** Where a notification's order opens: the worklist's drawer, for those who have the worklist. */
const ORDER_SCREEN = '/handling/worklist';

/**
 * The toasts are a heads-up; the bell's count and inbox are the record. So they stay out of the way of
 * the screen a person works in:
 * - bottom left: every order, item and task drawer opens on the right (736 px of 1366), so the left is
 *   the masked list behind it; on the right a toast covered the drawer's fields, actions and timeline,
 *   at the top its header (number, state, countdowns);
 * - at most two, one above the other, each readable (`maxCount`; antd 6's collapsed `stack` would hide
 *   all but the newest until hovered): 催办 and 列入督办清单 arrive together; a third replaces the
 *   oldest, and three cards had filled half the screen's height;
 * - urgent ones stay 10 s (still there after glancing up from a call), others 4.5 s (antd's default),
 *   both held while the pointer is over them; the text is cut to three lines (the inbox has it whole).
 */
const TOASTS = { placement: 'bottomLeft', maxCount: 2, stack: false } as const;
const URGENT_SECONDS = 10;
const CLAMP = { display: '-webkit-box', WebkitLineClamp: 3, WebkitBoxOrient: 'vertical', overflow: 'hidden' } as const;

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
  const [toast, holder] = notification.useNotification(TOASTS);
  const navigate = useNavigate();
  const roles = useSession().data?.roles ?? [];
  const canOpenOrders = screensFor(roles).some((s) => s.path === ORDER_SCREEN);

  /** Opening a notification (in the inbox, or its toast) marks it read and, when it names an order the person can open, goes there. */
  const openOne = (n: Pick<NotificationView, 'id' | 'ticketId' | 'readAt'>) => {
    if (!n.readAt) read.mutate(n.id);
    if (n.ticketId && canOpenOrders) {
      setOpen(false);
      void navigate(`${ORDER_SCREEN}?order=${encodeURIComponent(n.ticketId)}`);
    }
  };
  // The live listener is registered once per toast API; it reaches the latest openOne through this.
  const openRef = useRef(openOne);
  openRef.current = openOne;

  useEffect(
    () =>
      onLiveEvent((e) => {
        if (e.type !== 'notification.created.v1') return;
        const title = typeof e.data?.title === 'string' ? e.data.title : t('notifications.title');
        const body = typeof e.data?.body === 'string' ? e.data.body : '';
        const urgent = e.data?.urgent === true;
        const id = typeof e.data?.notificationId === 'string' ? e.data.notificationId : undefined;
        // A toast about an order opens it, as its line in the inbox does (and marks it read): the
        // whole card, and its 查看工单 link for the keyboard. Its close button stops there.
        const opens = id !== undefined && e.ticketId !== null && canOpenOrders;
        (urgent ? toast.warning : toast.info)({
          ...(id !== undefined ? { key: id } : {}),
          title,
          description: body,
          ...(urgent ? { duration: URGENT_SECONDS } : {}),
          styles: { description: CLAMP },
          ...(opens
            ? {
                style: { cursor: 'pointer' },
                actions: (
                  <Button size="small" type="link">
                    {t('notifications.openOrder')}
                  </Button>
                ),
                onClick: () => {
                  toast.destroy(id);
                  openRef.current({ id, ticketId: e.ticketId, readAt: null });
                },
              }
            : {}),
        });
      }),
    [toast, t, canOpenOrders],
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
              data-testid={`notification-${n.id}`}
              data-read={n.readAt ? 'true' : 'false'}
              style={{ cursor: 'pointer' }}
              onClick={() => openOne(n)}
              actions={
                n.readAt
                  ? []
                  : [
                      <Button
                        key="read"
                        size="small"
                        type="link"
                        onClick={(e) => {
                          e.stopPropagation();
                          read.mutate(n.id);
                        }}
                      >
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
