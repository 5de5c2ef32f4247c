import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A unit member's worklist finds its orders by four indexes instead of a scan of every order: the
 * sub-unit an order was handed down to, and the people it is assigned to (GIN over the array).
 */
export class MemberWorklistIndexes1796510000000 implements MigrationInterface {
  name = 'MemberWorklistIndexes1796510000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "idx_work_order_sub_unit" ON "work_order" ("sub_unit_id") `);
    await queryRunner.query(`CREATE INDEX "idx_work_order_assignees" ON "work_order" USING gin ("assignees")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "dispatch"."idx_work_order_assignees"`);
    await queryRunner.query(`DROP INDEX "dispatch"."idx_work_order_sub_unit"`);
  }
}
