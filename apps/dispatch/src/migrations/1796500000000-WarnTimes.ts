import { MigrationInterface, QueryRunner } from 'typeorm';

/** sla's warning points of the two clocks, carried by `sla.clocks-set.v1`, for the worklists' yellow. */
export class WarnTimes1796500000000 implements MigrationInterface {
  name = 'WarnTimes1796500000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "work_order" ADD "respond_warn_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "work_order" ADD "finish_warn_at" TIMESTAMP WITH TIME ZONE`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "work_order" DROP COLUMN "finish_warn_at"`);
    await queryRunner.query(`ALTER TABLE "work_order" DROP COLUMN "respond_warn_at"`);
  }
}
