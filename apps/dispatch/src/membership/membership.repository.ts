import { Inject, Injectable } from '@nestjs/common';
import { TransactionHost, TxHost } from '@app/platform';
import { UnitMember } from './unit-member.entity';

@Injectable()
export class MembershipRepository {
  constructor(@Inject(TransactionHost) private readonly txHost: TxHost) {}

  /** Write the member unless a newer revision is recorded; returns whether it applied. */
  async upsertNewer(u: UnitMember): Promise<boolean> {
    const res: unknown[] = await this.txHost.tx.query(
      `INSERT INTO unit_member (person_id, login_name, display_name, unit_id, roles, districts, active, revision, changed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (person_id) DO UPDATE SET
         login_name = EXCLUDED.login_name, display_name = EXCLUDED.display_name, unit_id = EXCLUDED.unit_id,
         roles = EXCLUDED.roles, districts = EXCLUDED.districts, active = EXCLUDED.active,
         revision = EXCLUDED.revision, changed_at = EXCLUDED.changed_at
       WHERE unit_member.revision < EXCLUDED.revision
       RETURNING person_id`,
      [u.personId, u.loginName, u.displayName, u.unitId, u.roles, u.districts, u.active, u.revision, u.changedAt],
    );
    const rows = Array.isArray(res[0]) ? (res[0] as unknown[]) : res;
    return rows.length > 0;
  }

  /** Of `personIds`, those who are active members of one of `unitIds`. */
  async activeMembers(personIds: string[], unitIds: string[]): Promise<string[]> {
    const rows: { person_id: string }[] = await this.txHost.tx.query(
      `SELECT person_id FROM unit_member WHERE person_id = ANY($1) AND unit_id = ANY($2) AND active`,
      [personIds, unitIds],
    );
    return rows.map((r) => r.person_id);
  }

  find(personId: string): Promise<UnitMember | null> {
    return this.txHost.tx.getRepository(UnitMember).findOneBy({ personId });
  }
}
