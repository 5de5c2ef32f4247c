import { MigrationInterface, QueryRunner } from 'typeorm';

export class DueCycle1795309205190 implements MigrationInterface {
  name = 'DueCycle1795309205190';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "work_order" ADD "due_cycle" integer NOT NULL DEFAULT '0'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "work_order" DROP COLUMN "due_cycle"`);
  }
}
