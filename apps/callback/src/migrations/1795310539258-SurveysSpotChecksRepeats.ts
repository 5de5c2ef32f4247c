import { MigrationInterface, QueryRunner } from 'typeorm';

export class SurveysSpotChecksRepeats1795310539258 implements MigrationInterface {
  name = 'SurveysSpotChecksRepeats1795310539258';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "callback_task" DROP CONSTRAINT "uq_callback_task_cycle"`);
    await queryRunner.query(`CREATE TABLE "survey_link" ("id" uuid NOT NULL, "task_id" uuid NOT NULL, "token_hash" text NOT NULL, "channel" text NOT NULL, "sent_by" text NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_8f3352c16dfb26e1952c0598733" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_survey_link_token_hash" ON "survey_link"  ("token_hash") `);
    await queryRunner.query(`CREATE INDEX "idx_survey_link_task" ON "survey_link"  ("task_id") `);
    await queryRunner.query(`CREATE TABLE "callback_ticket" ("ticket_id" uuid NOT NULL, "district_code" text NOT NULL, "order_no" text, "flags" text array NOT NULL DEFAULT '{}', "identity_hidden" boolean NOT NULL DEFAULT false, "accepted_at" TIMESTAMP WITH TIME ZONE, "public_reply" text, "reply_cycle" integer, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_0c4a5e17b19ab56765a6f560b14" PRIMARY KEY ("ticket_id"))`);
    await queryRunner.query(`ALTER TABLE "callback_task" ADD "kind" text NOT NULL DEFAULT 'reply'`);
    await queryRunner.query(`ALTER TABLE "callback_task" ADD "last_attempt_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "callback_task" ADD "repeat_call" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`ALTER TABLE "callback_task" ADD "identity_hidden" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`ALTER TABLE "callback_task" ADD "checked_task_id" uuid`);
    await queryRunner.query(`ALTER TABLE "callback_task" ADD CONSTRAINT "uq_callback_task_cycle_kind" UNIQUE ("ticket_id", "cycle", "kind")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "callback_task" DROP CONSTRAINT "uq_callback_task_cycle_kind"`);
    await queryRunner.query(`ALTER TABLE "callback_task" DROP COLUMN "checked_task_id"`);
    await queryRunner.query(`ALTER TABLE "callback_task" DROP COLUMN "identity_hidden"`);
    await queryRunner.query(`ALTER TABLE "callback_task" DROP COLUMN "repeat_call"`);
    await queryRunner.query(`ALTER TABLE "callback_task" DROP COLUMN "last_attempt_at"`);
    await queryRunner.query(`ALTER TABLE "callback_task" DROP COLUMN "kind"`);
    await queryRunner.query(`DROP TABLE "callback_ticket"`);
    await queryRunner.query(`DROP INDEX "callback"."idx_survey_link_task"`);
    await queryRunner.query(`DROP INDEX "callback"."uq_survey_link_token_hash"`);
    await queryRunner.query(`DROP TABLE "survey_link"`);
    await queryRunner.query(`ALTER TABLE "callback_task" ADD CONSTRAINT "uq_callback_task_cycle" UNIQUE ("ticket_id", "cycle")`);
  }
}
