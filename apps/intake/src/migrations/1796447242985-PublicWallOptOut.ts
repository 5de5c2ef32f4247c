import { MigrationInterface, QueryRunner } from 'typeorm';

export class PublicWallOptOut1796447242985 implements MigrationInterface {
  name = 'PublicWallOptOut1796447242985';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "ticket" ADD "public_wall_opt_out" boolean`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "ticket" DROP COLUMN "public_wall_opt_out"`);
  }
}
