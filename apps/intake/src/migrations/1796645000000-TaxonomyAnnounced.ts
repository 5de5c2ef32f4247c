import { referenceTriggerSql } from '@app/platform/database/reference-cache';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The category taxonomy announces every change (each intake replica reads it again at the
 * announcement, instead of within TAXONOMY_RELOAD_SECONDS).
 */
export class TaxonomyAnnounced1796645000000 implements MigrationInterface {
  name = 'TaxonomyAnnounced1796645000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const sql of referenceTriggerSql('category').up) await queryRunner.query(sql);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const sql of referenceTriggerSql('category').down) await queryRunner.query(sql);
    await queryRunner.query(`DROP FUNCTION IF EXISTS notify_reference_changed()`);
  }
}
