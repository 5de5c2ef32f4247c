import { MigrationInterface, QueryRunner } from 'typeorm';

export class TimelineSeq1795313366570 implements MigrationInterface {
  name = 'TimelineSeq1795313366570';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "timeline_entry" ADD "seq" BIGSERIAL NOT NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "timeline_entry" DROP COLUMN "seq"`);
  }
}
