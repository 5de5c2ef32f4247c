import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type CoAssignmentState = 'assigned' | 'signed' | 'submitted';

/** 协办: a co-unit called in to a joint handling (吹哨报到). It signs and submits its part; the lead replies for all. */
@Entity('co_assignment')
@Index('uq_co_assignment_unit', ['ticketId', 'unitId'], { unique: true })
@Index('idx_co_assignment_unit_state', ['unitId', 'state'])
export class CoAssignment {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'ticket_id' })
  ticketId: string;

  @Column('uuid', { name: 'unit_id' })
  unitId: string;

  @Column('text')
  state: CoAssignmentState;

  @Column('text', { name: 'added_by' })
  addedBy: string;

  @Column('timestamptz', { name: 'added_at' })
  addedAt: Date;

  @Column('timestamptz', { name: 'signed_at', nullable: true })
  signedAt: Date | null;

  @Column('text', { name: 'signed_by', nullable: true })
  signedBy: string | null;

  /** The co-unit's part of the handling (what it did), read by the lead unit. */
  @Column('text', { name: 'part_text', nullable: true })
  partText: string | null;

  @Column('timestamptz', { name: 'submitted_at', nullable: true })
  submittedAt: Date | null;

  @Column('text', { name: 'submitted_by', nullable: true })
  submittedBy: string | null;
}
