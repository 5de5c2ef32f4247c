import { Spin } from 'antd';
import { lazy, Suspense } from 'react';
import { createBrowserRouter, Navigate } from 'react-router-dom';
import { sessionQuery, useSession } from '../api/session';
import { homeOf, prefetchScreenData, preloadScreenAt, SCREENS } from './nav';
import { queryClient } from './providers';
import { RequireSession } from './RequireSession';

function Home() {
  const user = useSession().data;
  return <Navigate to={homeOf(user?.roles ?? [])} replace />;
}

const NotFound = lazy(async () => ({ default: (await import('./Problem')).NotFound }));
const Forbidden = lazy(async () => ({ default: (await import('./Problem')).Forbidden }));

/** The route guard: a screen of other roles answers 403, saying whose it is. */
function Allowed({ roles, children }: { roles: readonly string[]; children: React.ReactNode }) {
  const user = useSession().data;
  if (!user?.roles.some((r) => roles.includes(r)))
    return (
      <Suspense fallback={<Spin />}>
        <Forbidden roles={roles} />
      </Suspense>
    );
  return children;
}

/*
 * The login page and the shell (menu, header) are chunks of their own, like every screen: the login
 * page does not carry the shell, and no screen carries the login form. Whichever the address needs is
 * fetched at once, with the screen's page, in parallel with the session check.
 */
const loadLogin = () => import('../features/auth/LoginPage');
const loadShell = () => import('./ShellLayout');
const LoginPage = lazy(async () => ({ default: (await loadLogin()).LoginPage }));
const ShellLayout = lazy(async () => ({ default: (await loadShell()).ShellLayout }));

/*
 * A reload or a bookmark of a screen: the session is asked for now, while the bundle's other chunks
 * load, not when the first render asks (the same query: `useSession` then reads this answer or waits
 * on this request); once it is known, the screen's first data is asked for too (`prefetchScreenData`),
 * before the shell and the page have rendered.
 */
if (window.location.pathname === '/login') void loadLogin().catch(() => undefined);
else {
  const pathname = window.location.pathname;
  // First, so that it is not queued behind the chunks' requests (six connections to a host over HTTP/1.1).
  void queryClient
    .fetchQuery(sessionQuery)
    .then((user) => user && prefetchScreenData(queryClient, pathname, user.roles))
    .catch(() => undefined); // RequireSession shows the failure
  void loadShell().catch(() => undefined); // the lazy shell asks again, and fails visibly, when it renders
  preloadScreenAt(pathname);
}

export const router = createBrowserRouter([
  {
    path: '/login',
    element: (
      <Suspense fallback={<Spin />}>
        <LoginPage />
      </Suspense>
    ),
  },
  {
    path: '/',
    element: (
      <RequireSession>
        <Suspense fallback={<Spin fullscreen />}>
          <ShellLayout />
        </Suspense>
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
      {
        path: '*',
        element: (
          <Suspense fallback={<Spin />}>
            <NotFound />
          </Suspense>
        ),
      },
    ],
  },
]);
