import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, jsonOf, requestJson, setCsrfToken } from './http';

/** The person signed in, as GET /auth/session gives it (docs: /work/wt/CONSOLE-API.md). */
export interface SessionUser {
  id: string;
  loginName: string;
  displayName: string;
  roles: string[];
  districts: string[];
  unitId: string | null;
  unitName: string | null;
  mobileMasked: string | null;
  emailMasked: string | null;
  totpEnabled: boolean;
  mustChangePassword: boolean;
}

interface SessionBody {
  user: SessionUser;
  csrfToken: string;
}

export interface AuthConfig {
  oidcEnabled: boolean;
  oidcLabel: string | null;
}

export interface LoginInput {
  loginName: string;
  password: string;
  totp?: string;
}

export const sessionKey = ['auth', 'session'] as const;

declare global {
  interface Window {
    /** GET /auth/session, asked for by index.html's boot script before the bundle loaded (preload-screens.mts). */
    __jiesuSession?: Promise<Response>;
  }
}

/** The boot script's answer, once (a later check asks again); undefined when there is none. */
function takeBootSession(): Promise<Response> | undefined {
  const early = window.__jiesuSession;
  window.__jiesuSession = undefined;
  return early;
}

async function fetchSession(): Promise<SessionUser | null> {
  try {
    const early = takeBootSession();
    const body = early ? await jsonOf<SessionBody>(await early) : await requestJson<SessionBody>('GET', '/auth/session');
    setCsrfToken(body.csrfToken);
    return body.user;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw e;
  }
}

/** The session query, shared by `useSession` and the boot's early fetch (router.tsx), so both are one request. */
export const sessionQuery = { queryKey: sessionKey, queryFn: fetchSession, staleTime: 60_000, retry: false } as const;

/** null when nobody is signed in. */
export function useSession() {
  return useQuery(sessionQuery);
}

export function useAuthConfig() {
  return useQuery({
    queryKey: ['auth', 'config'],
    queryFn: () => requestJson<AuthConfig>('GET', '/auth/config'),
    staleTime: Infinity,
    retry: false,
  });
}

export function useLogin() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: LoginInput) => requestJson<SessionBody>('POST', '/auth/login', input),
    onSuccess: (body) => {
      setCsrfToken(body.csrfToken);
      client.setQueryData(sessionKey, body.user);
    },
  });
}

export function useLogout() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => requestJson<void>('POST', '/auth/logout'),
    onSettled: () => {
      setCsrfToken(null);
      client.clear();
      client.setQueryData(sessionKey, null);
    },
  });
}
