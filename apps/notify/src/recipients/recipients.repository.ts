import { TransactionHost, TxHost } from '@app/platform';
import { Injectable, Inject } from '@nestjs/common';
import { districtCentreId } from '../orders/unit-id';
import { Audience } from '../rules/rule.entity';
import { Recipient } from './recipient.entity';

export interface MembershipRow {
  personId: string;
  loginName: string;
  displayName: string;
  unitId: string | null;
  roles: string[];
  districts: string[];
  active: boolean;
  revision: string;
  mobileEnc: string | null;
  mobileMasked: string | null;
  emailEnc: string | null;
  emailMasked: string | null;
  changedAt: Date;
}

export interface Preferences {
  quietStart: string | null;
  quietEnd: string | null;
  digest: boolean;
  digestAt: string | null;
  mutedChannels: string[];
}

@Injectable()
export class RecipientsRepository {
  constructor(@Inject(TransactionHost) private readonly txHost: TxHost) {}

  /** From the console's staff event: the latest revision wins; the person's own choices are kept. */
  async upsertMembership(r: MembershipRow): Promise<void> {
    await this.txHost.tx.query(
      `INSERT INTO recipient (person_id, login_name, display_name, unit_id, roles, districts, active, revision,
         mobile_enc, mobile_masked, email_enc, email_masked, changed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
       ON CONFLICT (person_id) DO UPDATE SET login_name = EXCLUDED.login_name, display_name = EXCLUDED.display_name,
         unit_id = EXCLUDED.unit_id, roles = EXCLUDED.roles, districts = EXCLUDED.districts, active = EXCLUDED.active,
         revision = EXCLUDED.revision, mobile_enc = EXCLUDED.mobile_enc, mobile_masked = EXCLUDED.mobile_masked,
         email_enc = EXCLUDED.email_enc, email_masked = EXCLUDED.email_masked, changed_at = EXCLUDED.changed_at
       WHERE recipient.revision < EXCLUDED.revision`,
      [
        r.personId,
        r.loginName,
        r.displayName,
        r.unitId,
        r.roles,
        r.districts,
        r.active,
        r.revision,
        r.mobileEnc,
        r.mobileMasked,
        r.emailEnc,
        r.emailMasked,
        r.changedAt,
      ],
    );
  }

  /** Active people holding every one of `roles` in the audience of an order of `district` handled by `unitId`. */
  async audience(roles: string[], audience: Audience, district: string, unitId: string | null): Promise<Recipient[]> {
    let where: string;
    let arg: string;
    if (audience === 'unit') {
      if (!unitId) return [];
      [where, arg] = ['unit_id = $2::uuid', unitId];
    } else if (audience === 'district_centre') {
      [where, arg] = ['unit_id = $2::uuid', districtCentreId(district)];
    } else if (audience === 'district') {
      [where, arg] = [`districts && ARRAY[$2::text, '*']`, district];
    } else {
      [where, arg] = [`'*' = ANY(districts) AND $2::text IS NOT NULL`, district];
    }
    const rows: Record<string, unknown>[] = await this.txHost.tx.query(
      `SELECT * FROM recipient WHERE active AND roles @> $1::text[] AND ${where} ORDER BY person_id`,
      [roles, arg],
    );
    return rows.map(toRecipient);
  }

  find(personId: string): Promise<Recipient | null> {
    return this.txHost.tx.getRepository(Recipient).findOneBy({ personId });
  }

  async setPreferences(personId: string, p: Preferences): Promise<Recipient | null> {
    await this.txHost.tx.getRepository(Recipient).update({ personId }, p);
    return this.find(personId);
  }
}

function toRecipient(r: Record<string, unknown>): Recipient {
  return Object.assign(new Recipient(), {
    personId: r.person_id,
    loginName: r.login_name,
    displayName: r.display_name,
    unitId: r.unit_id,
    roles: r.roles,
    districts: r.districts,
    active: r.active,
    revision: r.revision,
    mobileEnc: r.mobile_enc,
    mobileMasked: r.mobile_masked,
    emailEnc: r.email_enc,
    emailMasked: r.email_masked,
    quietStart: r.quiet_start,
    quietEnd: r.quiet_end,
    digest: r.digest,
    digestAt: r.digest_at,
    mutedChannels: r.muted_channels,
    changedAt: r.changed_at,
  });
}
