import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * An Open311 client's api_key, issued by an administrator. Only its SHA-256 is kept (the key is shown
 * once, at issue); `keyPrefix` lets people tell keys apart. Revoked keys stay, for the record.
 */
@Entity('open311_api_key')
export class Open311ApiKey {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text', { name: 'client_name' })
  clientName: string;

  /** The key's first characters, shown in lists. */
  @Column('text', { name: 'key_prefix' })
  keyPrefix: string;

  /** Hex SHA-256 of the key. */
  @Index('uq_open311_api_key_hash', { unique: true })
  @Column('text', { name: 'key_hash' })
  keyHash: string;

  @Column('text', { name: 'created_by' })
  createdBy: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt: Date | null;

  @Column('text', { name: 'revoked_by', nullable: true })
  revokedBy: string | null;
}
