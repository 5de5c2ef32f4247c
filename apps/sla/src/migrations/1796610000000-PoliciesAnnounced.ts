import { referenceTriggerSql } from '@app/platform/database/reference-cache';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Time-limit policies announce every change (PolicyCache keeps the active ones in memory and reads
 * them again at each announcement, instead of reading them for every dispatched order).
 */
export class PoliciesAnnounced1796610000000 implements MigrationInterface {
  name = 'PoliciesAnnounced1796610000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const sql of referenceTriggerSql('sla_policy').up) await queryRunner.query(sql);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const sql of referenceTriggerSql('sla_policy').down) await queryRunner.query(sql);
    await queryRunner.query(`DROP FUNCTION IF EXISTS notify_reference_changed()`);
  }
}
