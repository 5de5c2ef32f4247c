import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export type AccountState = 'active' | 'disabled';

/** A person who works in the console. The mobile and e-mail are personal data: encrypted, shown masked. */
@Entity({ name: 'staff_account' })
export class StaffAccount {
  @PrimaryColumn('uuid')
  id: string;

  @Index('uq_staff_account_login', { unique: true })
  @Column('text', { name: 'login_name' })
  loginName: string;

  @Column('text', { name: 'display_name' })
  displayName: string;

  /** AES-256-GCM (PiiCipher), key id inside. */
  @Column('text', { name: 'mobile_enc', nullable: true })
  mobileEnc: string | null;

  @Column('text', { name: 'mobile_masked', nullable: true })
  mobileMasked: string | null;

  /** The work e-mail for notifications: AES-256-GCM (PiiCipher) like the mobile. */
  @Column('text', { name: 'email_enc', nullable: true })
  emailEnc: string | null;

  @Column('text', { name: 'email_masked', nullable: true })
  emailMasked: string | null;

  @Column('uuid', { name: 'unit_id', nullable: true })
  unitId: string | null;

  /** The unit's name when it was set (dispatch owns the organisation). */
  @Column('text', { name: 'unit_name', nullable: true })
  unitName: string | null;

  /** The district of the unit (where membership events are published), or null. */
  @Column('text', { name: 'unit_district', nullable: true })
  unitDistrict: string | null;

  @Column('text', { array: true, default: () => "'{}'" })
  roles: string[];

  @Column('text', { array: true, default: () => "'{}'" })
  districts: string[];

  @Column('text', { default: 'active' })
  state: AccountState;

  /** argon2id; null for an SSO-only account. */
  @Column('text', { name: 'password_hash', nullable: true })
  passwordHash: string | null;

  @Column('boolean', { name: 'must_change_password', default: false })
  mustChangePassword: boolean;

  @Column('int', { name: 'failed_logins', default: 0 })
  failedLogins: number;

  @Column('timestamptz', { name: 'locked_until', nullable: true })
  lockedUntil: Date | null;

  /** The TOTP secret, encrypted like the mobile; pending until enabled. */
  @Column('text', { name: 'totp_secret_enc', nullable: true })
  totpSecretEnc: string | null;

  @Column('boolean', { name: 'totp_enabled', default: false })
  totpEnabled: boolean;

  /** The last TOTP time step accepted (a code is used once). */
  @Column('bigint', { name: 'totp_last_step', nullable: true })
  totpLastStep: string | null;

  @Index('uq_staff_account_oidc', { unique: true, where: 'oidc_subject IS NOT NULL' })
  @Column('text', { name: 'oidc_subject', nullable: true })
  oidcSubject: string | null;

  /** Bumped on every change; carried by staff.membership-changed.v1. */
  @Column('bigint', { default: '1' })
  revision: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
