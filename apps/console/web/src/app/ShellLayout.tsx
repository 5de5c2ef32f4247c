import { LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { Button, Layout, Menu, Select, Space, Spin, Typography, type MenuProps } from 'antd';
import { Suspense, useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useLogout, useSession } from '../api/session';
import { LANGUAGES, rememberLanguage, type Language } from '../i18n';
import { NotificationBell } from '../features/notifications/NotificationBell';
import { LiveIndicator } from './live/LiveIndicator';
import { useLiveEvents } from './live/useLiveEvents';
import { screenAt, screensFor, STAGES } from './nav';

const { Header, Sider, Content } = Layout;

/** The frame of every screen: left menu by stage (only what the person's roles may use), header, page. */
export function ShellLayout() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const user = useSession().data;
  const logout = useLogout();
  const live = useLiveEvents(Boolean(user));
  const roles = useMemo(() => user?.roles ?? [], [user]);
  const screens = useMemo(() => screensFor(roles).filter((s) => !s.hidden), [roles]);
  const current = screenAt(location.pathname);

  useEffect(() => {
    document.title = current ? `${t(current.titleKey)} · ${t('app.title')}` : t('app.title');
  }, [current, t]);

  const items: MenuProps['items'] = STAGES.flatMap((stage) => {
    const children = screens.filter((s) => s.stage === stage).map((s) => ({ key: s.path, label: t(s.titleKey) }));
    return children.length ? [{ type: 'group' as const, key: stage, label: t(`stages.${stage}`), children }] : [];
  });

  const changeLanguage = (language: Language) => {
    rememberLanguage(language);
    void i18n.changeLanguage(language);
  };

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Sider width={184} breakpoint="lg" collapsedWidth={56}>
        <div style={{ color: '#fff', padding: '12px 16px', fontWeight: 600, fontSize: 16, whiteSpace: 'nowrap' }}>{t('app.title')}</div>
        <nav aria-label={t('app.title')}>
          <Menu
            theme="dark"
            mode="inline"
            selectedKeys={current ? [current.path] : []}
            items={items}
            onClick={({ key }) => void navigate(key)}
          />
        </nav>
      </Sider>
      <Layout>
        <Header style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', borderBottom: '1px solid #f0f0f0' }}>
          <Typography.Title level={1} style={{ fontSize: 16, margin: 0 }}>
            {current ? t(current.titleKey) : t('app.subtitle')}
          </Typography.Title>
          <Space size="middle">
            <LiveIndicator state={live} />
            <NotificationBell enabled={Boolean(user)} />
            <Space size={4} aria-label={user?.displayName}>
              <UserOutlined aria-hidden />
              <Typography.Text strong data-testid="user-name">
                {user?.displayName}
              </Typography.Text>
              <Typography.Text type="secondary" data-testid="user-unit">
                {user?.unitName ?? roles.map((r) => t(`roles.${r}`)).join('、')}
              </Typography.Text>
            </Space>
            <Select<Language>
              aria-label={t('app.language')}
              size="small"
              value={(LANGUAGES as readonly string[]).includes(i18n.language) ? (i18n.language as Language) : 'zh-CN'}
              onChange={changeLanguage}
              options={LANGUAGES.map((l) => ({ value: l, label: t(`languages.${l}`) }))}
              style={{ width: 96 }}
            />
            <Button
              size="small"
              icon={<LogoutOutlined aria-hidden />}
              loading={logout.isPending}
              onClick={() => logout.mutate(undefined, { onSettled: () => void navigate('/login', { replace: true }) })}
            >
              {t('app.logout')}
            </Button>
          </Space>
        </Header>
        <Content style={{ padding: 16, overflow: 'auto' }}>
          <Suspense fallback={<Spin tip={t('app.loading')} />}>
            <Outlet />
          </Suspense>
        </Content>
      </Layout>
    </Layout>
  );
}
