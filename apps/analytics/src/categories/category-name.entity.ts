import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A category's names as an administrator last set them in intake's taxonomy (category.changed.v1;
 * the latest `changedAt` wins). The rates, reports, hotspots and the public wall name a category
 * from these before the shared catalogue (`categoryName` in @app/contracts), as the console does. A
 * retired category keeps its name: old orders still show it. Built only from events, so a replay
 * empties and rebuilds it with the facts.
 */
@Entity('category_name')
export class CategoryName {
  /** The dotted category code (`heating.fee.refund`). */
  @PrimaryColumn('text')
  code: string;

  @Column('text', { name: 'name_zh' })
  nameZh: string;

  @Column('text', { name: 'name_en' })
  nameEn: string;

  @Column('boolean')
  active: boolean;

  /** `changedAt` of the event the names came from: an older one arriving late never overwrites them. */
  @Column('timestamptz', { name: 'changed_at' })
  changedAt: Date;
}
