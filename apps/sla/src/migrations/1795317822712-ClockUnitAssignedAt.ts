import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When a clock's unit got the order, so a re-dispatch (转办, an accepted return) hands the running
 * clocks to the new unit and a late older dispatch cannot take them back. Existing clocks name the
 * unit they started with, since their start.
 */
export class ClockUnitAssignedAt1795317822712 implements MigrationInterface {
  name = 'ClockUnitAssignedAt1795317822712';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "sla_clock" ADD "unit_assigned_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`UPDATE "sla_clock" SET "unit_assigned_at" = "started_at"`);
    await queryRunner.query(`ALTER TABLE "sla_clock" ALTER COLUMN "unit_assigned_at" SET NOT NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "sla_clock" DROP COLUMN "unit_assigned_at"`);
  }
}
