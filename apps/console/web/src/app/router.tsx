import { Button, Result, Spin } from 'antd';
import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { createBrowserRouter, Navigate, useNavigate } from 'react-router-dom';
import { useSession } from '../api/session';
import { LoginPage } from '../features/auth/LoginPage';
import { homeOf, SCREENS } from './nav';
import { RequireSession } from './RequireSession';
import { ShellLayout } from './ShellLayout';

function Home() {
  const user = useSession().data;
  return <Navigate to={homeOf(user?.roles ?? [])} replace />;
}

function NotFound() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Result
      status="404"
      title={t('app.notFound')}
      extra={
        <Button type="primary" onClick={() => void navigate('/')}>
          {t('app.backHome')}
        </Button>
      }
    />
  );
}

function Allowed({ roles, children }: { roles: readonly string[]; children: React.ReactNode }) {
  const user = useSession().data;
  if (!user?.roles.some((r) => roles.includes(r))) return <NotFound />;
  return children;
}

export const router = createBrowserRouter([
  { path: '/login', element: <LoginPage /> },
  {
    path: '/',
    element: (
      <RequireSession>
        <ShellLayout />
      </RequireSession>
    ),
    children: [
      { index: true, element: <Home /> },
      ...SCREENS.map((s) => ({
        path: `${s.path.slice(1)}/*`,
        element: (
          <Allowed roles={s.roles}>
            <Suspense fallback={<Spin />}>
              <s.page />
            </Suspense>
          </Allowed>
        ),
      })),
      { path: '*', element: <NotFound /> },
    ],
  },
]);
