import { MigrationInterface, QueryRunner } from 'typeorm';

export class ProactiveTransfer1795317614944 implements MigrationInterface {
  name = 'ProactiveTransfer1795317614944';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "work_order" ADD "proactive" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`ALTER TABLE "work_order" ADD "transferred_to" text`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "work_order" DROP COLUMN "transferred_to"`);
    await queryRunner.query(`ALTER TABLE "work_order" DROP COLUMN "proactive"`);
  }
}
