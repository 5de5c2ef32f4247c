import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { ReportDocument } from './report-document';

/** A generated report (日小结 / 周通报 / 月评比): the HTML page and the spreadsheet, stored as generated. */
@Entity('report')
@Index('uq_report_period', ['kind', 'periodFrom', 'districtCode'], { unique: true })
@Index('idx_report_generated', ['generatedAt'])
export class Report {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  kind: 'daily' | 'weekly' | 'monthly';

  @Column('date', { name: 'period_from' })
  periodFrom: string;

  @Column('date', { name: 'period_to' })
  periodTo: string;

  /** '' = the whole city. */
  @Column('text', { name: 'district_code' })
  districtCode: string;

  @Column('text')
  title: string;

  @Column('text')
  html: string;

  @Column('bytea')
  xlsx: Buffer;

  /** The report as data (ReportDocument), from which the PDF is drawn; null for reports generated before PDFs. */
  @Column('jsonb', { nullable: true })
  document: ReportDocument | null;

  @Column('timestamptz', { name: 'generated_at' })
  generatedAt: Date;

  /** User id, or `schedule`. */
  @Column('text', { name: 'generated_by' })
  generatedBy: string;
}
