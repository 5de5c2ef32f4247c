export const ROLES = ['operator', 'dispatcher', 'handler', 'unit_head', 'supervisor', 'callback_agent', 'analyst', 'admin'] as const;

export type Role = (typeof ROLES)[number];

/** Who is calling, from a verified bearer JWT. */
export interface Principal {
  id: string;
  name?: string;
  roles: Role[];
  /** District codes the user may see and act on; `*` = the whole city. */
  districts: string[];
  /** Unit ids the user belongs to (handlers, unit heads). */
  units: string[];
  /**
   * The bearer token this principal was verified from (non-enumerable), so a request/reply query
   * made for the person can carry it to the answering service. Absent for system actors.
   */
  readonly token?: string;
}

export function hasRole(p: Principal, ...roles: Role[]): boolean {
  return p.roles.includes('admin') || roles.some((r) => p.roles.includes(r));
}

export function inDistrict(p: Principal, district: string): boolean {
  return p.districts.includes('*') || p.districts.includes(district);
}

export function inUnit(p: Principal, unitId: string): boolean {
  return p.roles.includes('admin') || p.units.includes(unitId);
}

/** SQL-ready district filter: null = no restriction. */
export function districtScope(p: Principal): string[] | null {
  return p.districts.includes('*') ? null : p.districts;
}
