import { LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { Button, Layout, Menu, Select, Space, Spin, theme as antdTheme, type MenuProps } from 'antd';
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useLogout, useSession } from '../api/session';
import { LANGUAGES, switchLanguage, type Language } from '../i18n';
import { whenIdle } from './idle';
import { LiveIndicator } from './live/LiveIndicator';
import { useLiveEvents } from './live/useLiveEvents';
import { screenAt, screensFor, STAGES } from './nav';

const { Header, Sider, Content } = Layout;

// The bell's drawer, list and toasts are a chunk of their own: the page comes first, the bell once the
// browser is idle after it (at the latest 1.5 s after the shell), so its chunks and its query do not
// compete with the page's first render.
const NotificationBell = lazy(async () => ({ default: (await import('../features/notifications/NotificationBell')).NotificationBell }));

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
  const { token } = antdTheme.useToken();
  const [bell, setBell] = useState(false);
  useEffect(() => whenIdle(() => setBell(true), 1500), []);

  useEffect(() => {
    document.title = current ? `${t(current.titleKey)} · ${t('app.title')}` : t('app.title');
  }, [current, t]);

  const items: MenuProps['items'] = STAGES.flatMap((stage) => {
    const children = screens.filter((s) => s.stage === stage).map((s) => ({ key: s.path, label: t(s.titleKey) }));
    return children.length ? [{ type: 'group' as const, key: stage, label: t(`stages.${stage}`), children }] : [];
  });

  const changeLanguage = (language: Language) => void switchLanguage(language);

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
          {/* Plain elements, not Typography (its editable / copyable parts would come with the shell). */}
          <h1 style={{ fontSize: 16, margin: 0, fontWeight: 600, color: token.colorTextHeading }}>
            {current ? t(current.titleKey) : t('app.subtitle')}
          </h1>
          <Space size="middle">
            <LiveIndicator state={live} />
            {bell && (
              <Suspense fallback={null}>
                <NotificationBell enabled={Boolean(user)} />
              </Suspense>
            )}
            <Space size={4} aria-label={user?.displayName}>
              <UserOutlined aria-hidden />
              <strong data-testid="user-name">{user?.displayName}</strong>
              <span data-testid="user-unit" style={{ color: token.colorTextSecondary }}>
                {user?.unitName ?? roles.map((r) => t(`roles.${r}`)).join('、')}
              </span>
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
