import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, requestJson, setCsrfToken } from './http';

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

async function fetchSession(): Promise<SessionUser | null> {
  try {
    const body = await requestJson<SessionBody>('GET', '/auth/session');
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

/** null when nobody is signed in. */
export function useSession() {
  return useQuery({ queryKey: sessionKey, queryFn: fetchSession, staleTime: 60_000, retry: false });
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
