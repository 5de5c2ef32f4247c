import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** 知识库: an answer operators give on the spot, valid for a period. */
@Entity('kb_article')
export class KbArticle {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  title: string;

  @Column('text')
  body: string;

  @Column('text', { name: 'category_codes', array: true, default: () => "'{}'" })
  categoryCodes: string[];

  @Column('date', { name: 'valid_from', nullable: true })
  validFrom: string | null;

  @Column('date', { name: 'valid_to', nullable: true })
  validTo: string | null;

  /**
   * jieba search-mode tokens of title and body, space-separated, indexed as a `simple` tsvector
   * (Postgres has no Chinese parser; the words are cut before they reach it). GIN index in the
   * migration (`idx_kb_article_search`).
   */
  @Column('text', { name: 'search_text' })
  searchText: string;

  @Column('text', { name: 'created_by' })
  createdBy: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
