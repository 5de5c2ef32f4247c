import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An order's supervision items, open or closed, by reason and cycle: a merge that brings flags asks
 * whether the cycle already had a repeat item (SupervisionRepository.hadInCycle), which read the whole
 * table before (the unique index holds open items only).
 */
export class SupervisionByOrder1796620000000 implements MigrationInterface {
  name = 'SupervisionByOrder1796620000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "idx_supervision_item_ticket" ON "supervision_item" ("ticket_id", "reason", "cycle") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "sla"."idx_supervision_item_ticket"`);
  }
}
