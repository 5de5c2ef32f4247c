import { Principal, Role, ROLES } from '@app/platform';
import { StaffAccount } from './staff-account.entity';

/** What the browser learns about the person logged in (CONSOLE-API.md `user`). */
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

/** An account as administrators see it (no secrets, mobile masked). */
export interface AccountView extends SessionUser {
  state: string;
  oidcSubject: string | null;
  locked: boolean;
  revision: string;
  createdAt: string;
  updatedAt: string;
}

export function sessionUser(a: StaffAccount): SessionUser {
  return {
    id: a.id,
    loginName: a.loginName,
    displayName: a.displayName,
    roles: a.roles,
    districts: a.districts,
    unitId: a.unitId,
    unitName: a.unitName,
    mobileMasked: a.mobileMasked,
    emailMasked: a.emailMasked,
    totpEnabled: a.totpEnabled,
    mustChangePassword: a.mustChangePassword,
  };
}

export function accountView(a: StaffAccount, now = new Date()): AccountView {
  return {
    ...sessionUser(a),
    state: a.state,
    oidcSubject: a.oidcSubject,
    locked: !!a.lockedUntil && a.lockedUntil > now,
    revision: String(a.revision),
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
  };
}

/** The person as the services see them in a token. */
export function principalOf(a: StaffAccount): Principal {
  return {
    id: a.id,
    name: a.displayName,
    roles: a.roles.filter((r): r is Role => (ROLES as readonly string[]).includes(r)),
    districts: a.districts,
    units: a.unitId ? [a.unitId] : [],
  };
}

/** The audit's picture of an account: what an administrator may change, the mobile and e-mail only masked. */
export function auditSnapshot(a: StaffAccount): Record<string, unknown> {
  return {
    loginName: a.loginName,
    displayName: a.displayName,
    mobileMasked: a.mobileMasked,
    emailMasked: a.emailMasked,
    unitId: a.unitId,
    unitName: a.unitName,
    roles: a.roles,
    districts: a.districts,
    state: a.state,
    oidcSubject: a.oidcSubject,
    mustChangePassword: a.mustChangePassword,
    totpEnabled: a.totpEnabled,
  };
}
