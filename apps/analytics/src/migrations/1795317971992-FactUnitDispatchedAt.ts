import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When the order's unit was dispatched to, so the fact's unit follows the latest dispatch of the
 * first cycle (转办, an accepted return) and a late older dispatch cannot take it back. Existing rows
 * keep the unit they have, as of their first dispatch; `npm run analytics:replay` re-attributes
 * orders re-dispatched before this migration.
 */
export class FactUnitDispatchedAt1795317971992 implements MigrationInterface {
  name = 'FactUnitDispatchedAt1795317971992';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "ticket_fact" ADD "unit_dispatched_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`UPDATE "ticket_fact" SET "unit_dispatched_at" = "dispatched_at" WHERE "unit_id" IS NOT NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "ticket_fact" DROP COLUMN "unit_dispatched_at"`);
  }
}
