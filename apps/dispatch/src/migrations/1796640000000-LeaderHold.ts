import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 双交办 in hand: a merge that makes an order a unit already has repeat or concentrated, in a district
 * whose centre asks for the leader's sign-off, holds its reply for the district leader
 * (`work_order.leader_hold_at`), without taking the order from the unit. The partial index serves the
 * leader's queue.
 */
export class LeaderHold1796640000000 implements MigrationInterface {
  name = 'LeaderHold1796640000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "work_order" ADD "leader_hold_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`CREATE INDEX "idx_work_order_leader_hold" ON "work_order" ("district_code") WHERE leader_hold_at IS NOT NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "dispatch"."idx_work_order_leader_hold"`);
    await queryRunner.query(`ALTER TABLE "work_order" DROP COLUMN "leader_hold_at"`);
  }
}
