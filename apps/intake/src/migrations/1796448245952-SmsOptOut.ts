import { MigrationInterface, QueryRunner } from 'typeorm';

export class SmsOptOut1796448245952 implements MigrationInterface {
  name = 'SmsOptOut1796448245952';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "intake"."ticket" ADD "sms_opt_out" boolean NOT NULL DEFAULT false`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "intake"."ticket" DROP COLUMN "sms_opt_out"`);
  }
}
