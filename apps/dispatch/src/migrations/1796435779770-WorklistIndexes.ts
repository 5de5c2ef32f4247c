import { MigrationInterface, QueryRunner } from 'typeorm';

export class WorklistIndexes1796435779770 implements MigrationInterface {
  name = 'WorklistIndexes1796435779770';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "idx_work_order_district_due" ON "work_order"  ("district_code", "finish_due_at") `);
    await queryRunner.query(`CREATE INDEX "idx_work_order_unit_due" ON "work_order"  ("unit_id", "finish_due_at") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "dispatch"."idx_work_order_unit_due"`);
    await queryRunner.query(`DROP INDEX "dispatch"."idx_work_order_district_due"`);
  }
}
