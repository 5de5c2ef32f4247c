/** 系统管理: the administrator's home — the calendar alarm first, then every administrative table. */
import { Card, Col, Row, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { CalendarAlarm } from './CalendarAlarm';

export const ADMIN_SCREENS = [
  'org',
  'routing',
  'sla',
  'calendar',
  'categories',
  'knowledge',
  'accounts',
  'open311',
  'deadLetters',
  'deliveries',
  'expiry',
] as const;
const PATHS: Record<(typeof ADMIN_SCREENS)[number], string> = {
  org: '/system/org',
  routing: '/system/routing',
  sla: '/system/sla',
  calendar: '/system/calendar',
  categories: '/system/categories',
  knowledge: '/knowledge',
  accounts: '/system/accounts',
  open311: '/system/open311',
  deadLetters: '/system/dead-letters',
  deliveries: '/system/deliveries',
  expiry: '/system/expiry-policies',
};

export function AdminHome() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <CalendarAlarm />
      <Row gutter={[16, 16]}>
        {ADMIN_SCREENS.map((s) => (
          <Col key={s} xs={24} md={12} xl={8}>
            <Card hoverable size="small" onClick={() => void navigate(PATHS[s])} data-testid={`admin-card-${s}`}>
              <Typography.Title level={2} style={{ fontSize: 16, marginTop: 0 }}>
                {t(`admin.pages.${s}`)}
              </Typography.Title>
              <Typography.Text type="secondary">{t(`admin.home.${s}`)}</Typography.Text>
            </Card>
          </Col>
        ))}
      </Row>
    </Space>
  );
}
