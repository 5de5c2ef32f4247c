import { Principal } from '@app/platform';
import { EntityManager } from 'typeorm';

/**
 * Demo and test people as members of their first unit (revision 0: any real staff event wins), for a
 * database without the console. Only units this database holds (a district node's seed has fewer);
 * existing members are kept. Returns how many were added.
 */
export async function seedMembers(m: EntityManager, people: Principal[]): Promise<number> {
  let added = 0;
  for (const p of people) {
    if (!p.units.length) continue;
    const res: unknown[] = await m.query(
      `INSERT INTO dispatch.unit_member (person_id, login_name, display_name, unit_id, roles, districts, active, revision, changed_at)
       SELECT $1, $1, $2, u.id, $3, $4, true, 0, now() FROM dispatch.org_unit u WHERE u.id = $5
       ON CONFLICT (person_id) DO NOTHING
       RETURNING person_id`,
      [p.id, p.name ?? p.id, p.roles, p.districts, p.units[0]],
    );
    const rows = Array.isArray(res[0]) ? (res[0] as unknown[]) : res;
    added += rows.length;
  }
  return added;
}
