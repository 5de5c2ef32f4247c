import { MigrationInterface, QueryRunner } from 'typeorm';

export class AssignedHandlers1796436550533 implements MigrationInterface {
  name = 'AssignedHandlers1796436550533';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "ticket" ADD "assigned_unit_id" uuid`);
    await queryRunner.query(`ALTER TABLE "ticket" ADD "sub_unit_id" uuid`);
    await queryRunner.query(`ALTER TABLE "ticket" ADD "assignees" text array NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`ALTER TABLE "ticket" ADD "assigned_at" TIMESTAMP WITH TIME ZONE`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "ticket" DROP COLUMN "assigned_at"`);
    await queryRunner.query(`ALTER TABLE "ticket" DROP COLUMN "assignees"`);
    await queryRunner.query(`ALTER TABLE "ticket" DROP COLUMN "sub_unit_id"`);
    await queryRunner.query(`ALTER TABLE "ticket" DROP COLUMN "assigned_unit_id"`);
  }
}
