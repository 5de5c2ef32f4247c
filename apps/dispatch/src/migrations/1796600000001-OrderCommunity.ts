import { MigrationInterface, QueryRunner } from 'typeorm';

/** The community intake placed an order's address in (ticket.accepted.v1's location.communityCode). */
export class OrderCommunity1796600000001 implements MigrationInterface {
  name = 'OrderCommunity1796600000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "work_order" ADD "community_code" text`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "work_order" DROP COLUMN "community_code"`);
  }
}
