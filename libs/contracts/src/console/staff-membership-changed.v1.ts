import {
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
} from 'class-validator';

/** The roles a staff account may hold (the same list the services' tokens carry). */
export const STAFF_ROLES = ['operator', 'dispatcher', 'handler', 'unit_head', 'supervisor', 'callback_agent', 'analyst', 'admin'] as const;

/**
 * console → dispatch: a staff account was created, changed, moved to another unit, disabled or
 * enabled. Dispatch keeps each unit's members from these and refuses an assignment to a person who
 * is not an active member of the unit. Notify keeps the same people as recipients. The event carries
 * who, which unit and which roles, and whether the account has a mobile or an e-mail (`hasMobile`,
 * `hasEmail`), never the contact itself: the stream keeps events for ever, so notify asks the console
 * for the address when it sends (the `console.staff-contact.v1` query).
 * Published under the district of the account's unit (the city's code for a unit-less account);
 * one event per change, the latest `revision` wins.
 */
export class StaffMembershipChangedV1 {
  @IsUUID()
  accountId: string;

  @IsString()
  @Length(1, 64)
  loginName: string;

  @IsString()
  @Length(1, 100)
  displayName: string;

  /** The dispatch unit id the person works in; absent for city staff without a unit. */
  @IsOptional()
  @IsUUID()
  unitId?: string;

  @IsArray()
  @ArrayUnique()
  @IsIn(STAFF_ROLES, { each: true })
  roles: string[];

  /** District codes the person may act in; `*` = the whole city. */
  @IsArray()
  @Matches(/^(\*|\d{6})$/, { each: true, message: 'districts must be six-digit codes or *' })
  districts: string[];

  @IsBoolean()
  active: boolean;

  /** Increases with every change of the account, so a late copy never undoes a newer one. */
  @IsString()
  @Matches(/^\d+$/)
  revision: string;

  @IsISO8601({ strict: true })
  changedAt: string;

  /** The account has a work mobile (for SMS). Absent: false. Additive, optional. */
  @IsOptional()
  @IsBoolean()
  hasMobile?: boolean;

  /** The account has a work e-mail. Absent: false. Additive, optional. */
  @IsOptional()
  @IsBoolean()
  hasEmail?: boolean;

  /**
   * @deprecated Retired: events published before the console stopped sending contacts carried the
   * mobile here. Still accepted so that the stream's old events validate; every consumer ignores it
   * and the console never writes it.
   */
  @IsOptional()
  @Matches(/^1\d{10}$/, { message: 'mobile must be an 11-digit mainland mobile number' })
  mobile?: string;

  /** @deprecated Retired like `mobile`: accepted in old events, ignored, never written. */
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  email?: string;
}
