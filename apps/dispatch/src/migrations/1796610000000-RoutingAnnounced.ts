import { referenceTriggerSql } from '@app/platform/database/reference-cache';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Routing rules and units announce every change (RoutingService keeps them in memory and reads them
 * again at each announcement, instead of reading them for every arriving order).
 */
export class RoutingAnnounced1796610000000 implements MigrationInterface {
  name = 'RoutingAnnounced1796610000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['route_rule', 'org_unit']) {
      for (const sql of referenceTriggerSql(table).up) await queryRunner.query(sql);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['route_rule', 'org_unit']) {
      for (const sql of referenceTriggerSql(table).down) await queryRunner.query(sql);
    }
    await queryRunner.query(`DROP FUNCTION IF EXISTS notify_reference_changed()`);
  }
}
