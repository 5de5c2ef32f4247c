import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export enum ExtensionStatus {
  Pending = 'pending',
  Approved = 'approved',
  Refused = 'refused',
}

/** A unit's request for more time (延期申请) and its decision. */
@Entity('sla_extension')
@Index('idx_sla_extension_status', ['status', 'districtCode', 'requestedAt'])
@Index('idx_sla_extension_ticket', ['ticketId'])
export class SlaExtension {
  /** The requestId of ticket.extension-requested.v1. */
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'ticket_id' })
  ticketId: string;

  @Column('text', { name: 'district_code' })
  districtCode: string;

  @Column('uuid', { name: 'unit_id' })
  unitId: string;

  @Column('uuid', { name: 'assignment_id' })
  assignmentId: string;

  @Column('int')
  cycle: number;

  @Column('int')
  days: number;

  @Column('text')
  reason: string;

  @Column('timestamptz', { name: 'requested_at' })
  requestedAt: Date;

  @Column('text')
  status: ExtensionStatus;

  /** The finish due time when it was asked. */
  @Column('timestamptz', { name: 'due_at_request' })
  dueAtRequest: Date;

  @Column('int', { name: 'granted_days', default: 0 })
  grantedDays: number;

  @Column('timestamptz', { name: 'new_due_at', nullable: true })
  newDueAt: Date | null;

  /** User id, or `rule` for a decision taken by the policy. */
  @Column('text', { name: 'decided_by', nullable: true })
  decidedBy: string | null;

  @Column('timestamptz', { name: 'decided_at', nullable: true })
  decidedAt: Date | null;

  @Column('text', { name: 'decision_note', nullable: true })
  decisionNote: string | null;
}
