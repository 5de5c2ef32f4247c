import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Who changed which account when, with the account before and after (mobile masked only). */
@Entity({ name: 'audit_entry' })
@Index('idx_audit_target', ['targetId', 'at'])
export class AuditEntry {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column('timestamptz')
  at: Date;

  /** The verified person who acted (null: the system, e.g. the demo seed or an import script). */
  @Column('uuid', { name: 'actor_id', nullable: true })
  actorId: string | null;

  @Column('text', { name: 'actor_name', nullable: true })
  actorName: string | null;

  /** account.create, account.update, account.disable, account.enable, account.reset-password, ... */
  @Column('text')
  action: string;

  @Column('uuid', { name: 'target_id', nullable: true })
  targetId: string | null;

  @Column('jsonb', { nullable: true })
  before: Record<string, unknown> | null;

  @Column('jsonb', { nullable: true })
  after: Record<string, unknown> | null;
}
