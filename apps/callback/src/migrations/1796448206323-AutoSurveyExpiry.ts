import { MigrationInterface, QueryRunner } from 'typeorm';

export class AutoSurveyExpiry1796448206323 implements MigrationInterface {
  name = 'AutoSurveyExpiry1796448206323';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "callback"."callback_task" ADD "auto_sms" text`);
    await queryRunner.query(`ALTER TABLE "callback"."callback_task" ADD "auto_sms_tries" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "callback"."callback_task" ADD "overdue_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "callback"."callback_ticket" ADD "sms_reachable" boolean NOT NULL DEFAULT false`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "callback"."callback_ticket" DROP COLUMN "sms_reachable"`);
    await queryRunner.query(`ALTER TABLE "callback"."callback_task" DROP COLUMN "overdue_at"`);
    await queryRunner.query(`ALTER TABLE "callback"."callback_task" DROP COLUMN "auto_sms_tries"`);
    await queryRunner.query(`ALTER TABLE "callback"."callback_task" DROP COLUMN "auto_sms"`);
  }
}
