import { Spin } from 'antd';
import { lazy, Suspense, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router-dom';
import { useSession } from '../api/session';
import { useErrorText } from '../components/ErrorNote';

const SessionFailed = lazy(async () => ({ default: (await import('./Problem')).SessionFailed }));

/** Renders its children for a signed-in person; otherwise sends them to /login and back afterwards. */
export function RequireSession({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const session = useSession();
  const location = useLocation();
  const errorText = useErrorText();
  if (session.isPending) return <Spin fullscreen tip={t('app.loading')} />;
  if (session.isError) {
    const { title, detail } = errorText(session.error);
    return (
      <Suspense fallback={<Spin fullscreen />}>
        <SessionFailed title={title} detail={detail} onRetry={() => void session.refetch()} />
      </Suspense>
    );
  }
  if (!session.data) {
    const returnTo = `${location.pathname}${location.search}`;
    return <Navigate to={`/login?returnTo=${encodeURIComponent(returnTo)}`} replace />;
  }
  return children;
}
