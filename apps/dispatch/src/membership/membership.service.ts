import { EventEnvelope } from '@app/contracts';
import { FieldValidationException } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { OrgRepository } from '../org/org.repository';
import { OrgUnit } from '../org/org-unit.entity';
import { MembershipRepository } from './membership.repository';
import { UnitMember } from './unit-member.entity';

/** Each unit's members, as the console's staff events tell them; who a unit may assign an order to. */
@Injectable()
export class MembershipService {
  constructor(
    private readonly members: MembershipRepository,
    private readonly org: OrgRepository,
  ) {}

  /** Idempotent and reorder-tolerant: the latest `revision` of an account wins, a late copy changes nothing. */
  async onMembershipChanged(e: EventEnvelope<'staff.membership-changed.v1'>): Promise<void> {
    const d = e.data;
    await this.members.upsertNewer(
      Object.assign(new UnitMember(), {
        personId: d.accountId,
        loginName: d.loginName,
        displayName: d.displayName,
        unitId: d.unitId ?? null,
        roles: d.roles,
        districts: d.districts,
        active: d.active,
        revision: d.revision,
        changedAt: new Date(d.changedAt),
      }),
    );
  }

  /**
   * Refuse (400, naming each person) an assignment by `unit` to anyone who is not an active member of
   * the unit — or, for a resident desk (常驻专席), of the department it sits for: the desk assigns
   * the department's inspectors.
   */
  async assertAssignable(unit: OrgUnit, personIds: string[]): Promise<void> {
    const units = [unit.id];
    if (unit.kind === 'resident_desk') {
      const department = await this.org.findByCode(unit.code.replace('-desk-', '-dept-'));
      if (department) units.push(department.id);
    }
    const members = new Set(await this.members.activeMembers(personIds, units));
    const strangers = personIds.filter((p) => !members.has(p));
    if (strangers.length) {
      throw new FieldValidationException(
        strangers.map((p) => ({
          field: 'assignees',
          reason: `${p} is not an active member of ${unit.nameZh} ${unit.nameEn}${units.length > 1 ? ' or the department it sits for' : ''}`,
        })),
      );
    }
  }
}
