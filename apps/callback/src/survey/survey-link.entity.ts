import { CallbackChannel } from '@app/contracts';
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A one-time survey link sent to the citizen. Only the SHA-256 of the token is stored; the token is
 * HMAC-signed, so a guessed or altered one is refused before the database is asked.
 */
@Entity('survey_link')
@Index('idx_survey_link_task', ['taskId'])
export class SurveyLink {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'task_id' })
  taskId: string;

  @Index('uq_survey_link_token_hash', { unique: true })
  @Column('text', { name: 'token_hash' })
  tokenHash: string;

  @Column('text')
  channel: CallbackChannel;

  @Column('text', { name: 'sent_by' })
  sentBy: string;

  @Column('timestamptz', { name: 'expires_at' })
  expiresAt: Date;

  @Column('timestamptz', { name: 'used_at', nullable: true })
  usedAt: Date | null;

  /** Set when sending failed: the link never reached anyone. */
  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
