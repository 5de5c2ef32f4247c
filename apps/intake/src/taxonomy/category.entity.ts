import { Column, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** 诉求分类: a node of the taxonomy (two or three levels), maintained by an admin. */
@Entity('category')
@Index('idx_category_parent', ['parentCode'])
export class Category {
  @PrimaryColumn('text')
  code: string;

  @Column('text', { name: 'parent_code', nullable: true })
  parentCode: string | null;

  @Column('int')
  level: number;

  @Column('text', { name: 'name_zh' })
  nameZh: string;

  @Column('text', { name: 'name_en' })
  nameEn: string;

  @Column('text', { array: true, default: () => "'{}'" })
  keywords: string[];

  @Column('boolean', { default: true })
  active: boolean;

  /**
   * Its current names were published (`category.changed.v1`): set with the event in one transaction;
   * a seed row, named as the shared catalogue names it, needs no event.
   */
  @Column('boolean', { default: false })
  announced: boolean;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
