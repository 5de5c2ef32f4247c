import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** An order whose category an operator confirmed: what the suggestion model learns from. */
@Entity('classifier_sample')
export class ClassifierSample {
  @PrimaryColumn('uuid', { name: 'ticket_id' })
  ticketId: string;

  @Column('text')
  text: string;

  @Column('text', { name: 'category_code' })
  categoryCode: string;

  @Column('text', { name: 'suggested_code', nullable: true })
  suggestedCode: string | null;

  /** The operator chose another root than the suggestion: weighs double. */
  @Column('boolean')
  corrected: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
