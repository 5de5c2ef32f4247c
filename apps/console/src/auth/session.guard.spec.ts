import { loadConfig } from '@app/platform';
import { StaffAccount } from '../accounts/staff-account.entity';
import { ConsoleConfig } from '../console.config';
import { checkSession, SessionRequest } from './session.guard';
import { ActiveSession, SessionsService } from './sessions.service';

const KEYS = { PII_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}`, PII_HASH_KEY: Buffer.alloc(32, 2).toString('base64') };

function active(over: Partial<StaffAccount> = {}, method = 'password'): ActiveSession {
  const account = Object.assign(new StaffAccount(), {
    id: '00000000-0000-4000-8000-000000000001',
    loginName: 'a',
    displayName: 'A',
    roles: ['handler'],
    districts: ['630104'],
    unitId: null,
    state: 'active',
    mustChangePassword: false,
    totpEnabled: false,
    ...over,
  });
  const now = new Date();
  return {
    account,
    session: {
      tokenHash: 'h',
      accountId: account.id,
      csrfToken: 'the-csrf-token',
      method,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: now,
      userAgent: null,
      ip: null,
    },
  };
}

/** A strict fake: only `resolve` is expected. */
const sessionsReturning = (s: ActiveSession | null) =>
  new Proxy({} as SessionsService, {
    get: (_t, prop) => {
      if (prop === 'resolve') return () => Promise.resolve(s);
      throw new Error(`unexpected call SessionsService.${String(prop)}`);
    },
  });

const req = (method: string, csrf?: string) =>
  ({ method, headers: csrf ? { 'x-csrf-token': csrf } : {}, cookies: { jiesu_sid: 't' } }) as unknown as SessionRequest;
const code = (e: { getResponse(): unknown } | null) => (e ? (e.getResponse() as { code: string }).code : null);

describe('checkSession', () => {
  const dev = loadConfig(ConsoleConfig, { ...KEYS });
  const prod = loadConfig(ConsoleConfig, { ...KEYS, NODE_ENV: 'production' });

  it('refuses a request without a live session', async () => {
    expect(code(await checkSession(sessionsReturning(null), dev, req('GET'), false))).toBe('no_session');
  });

  it('needs the CSRF token on a state-changing request, and sets the person', async () => {
    expect(code(await checkSession(sessionsReturning(active()), dev, req('POST'), false))).toBe('csrf');
    const r = req('POST', 'the-csrf-token');
    expect(await checkSession(sessionsReturning(active()), dev, r, false)).toBeNull();
    expect(r.user).toMatchObject({ roles: ['handler'], districts: ['630104'], units: [] });
  });

  it('lets a person who must change the password reach only the ways out', async () => {
    const s = active({ mustChangePassword: true });
    expect(code(await checkSession(sessionsReturning(s), dev, req('GET'), false))).toBe('password_change_required');
    expect(await checkSession(sessionsReturning(s), dev, req('GET'), true)).toBeNull();
  });

  it('makes administrators set up TOTP first in production, not after single sign-on', async () => {
    expect(prod.adminTotpRequired).toBe(true);
    expect(dev.adminTotpRequired).toBe(false);
    const admin = active({ roles: ['admin'] });
    expect(code(await checkSession(sessionsReturning(admin), prod, req('GET'), false))).toBe('totp_setup_required');
    expect(await checkSession(sessionsReturning(admin), dev, req('GET'), false)).toBeNull();
    expect(await checkSession(sessionsReturning(active({ roles: ['admin'], totpEnabled: true })), prod, req('GET'), false)).toBeNull();
    expect(await checkSession(sessionsReturning(active({ roles: ['admin'] }, 'oidc')), prod, req('GET'), false)).toBeNull();
  });
});
