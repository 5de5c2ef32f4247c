import { MigrationInterface, QueryRunner } from 'typeorm';

export class DistrictMove1795317738093 implements MigrationInterface {
  name = 'DistrictMove1795317738093';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "ticket_fact" ADD "district_moved_at" TIMESTAMP WITH TIME ZONE`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "ticket_fact" DROP COLUMN "district_moved_at"`);
  }
}
