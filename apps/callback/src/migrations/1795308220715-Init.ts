import { MigrationInterface, QueryRunner } from 'typeorm';

export class Init1795308220715 implements MigrationInterface {
  name = 'Init1795308220715';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "callback"."outbox" ("id" uuid NOT NULL, "seq" BIGSERIAL NOT NULL, "subject" text NOT NULL, "type" text NOT NULL, "envelope" jsonb NOT NULL, "headers" jsonb NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "published_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_340ab539f309f03bdaa14aa7649" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_outbox_published" ON "callback"."outbox"  ("published_at") WHERE published_at IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "idx_outbox_pending" ON "callback"."outbox"  ("seq") WHERE published_at IS NULL`);
    await queryRunner.query(`CREATE TABLE "callback"."inbox" ("consumer" text NOT NULL, "event_id" uuid NOT NULL, "processed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_625a303addbbe1f30d3f65ed7fe" PRIMARY KEY ("consumer", "event_id"))`);
    await queryRunner.query(`CREATE TABLE "callback"."dead_letter" ("id" uuid NOT NULL, "consumer" text NOT NULL, "subject" text NOT NULL, "stream_seq" bigint, "event_id" text, "event_type" text, "payload" text NOT NULL, "headers" jsonb NOT NULL DEFAULT '{}', "reason" text NOT NULL, "errors" jsonb NOT NULL, "deliveries" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "replayed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_e51e9e534cd18984b2aad76403c" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_dead_letter_open" ON "callback"."dead_letter"  ("created_at") WHERE replayed_at IS NULL`);
    await queryRunner.query(`CREATE TABLE "callback"."callback_task" ("id" uuid NOT NULL, "ticket_id" uuid NOT NULL, "district_code" text NOT NULL, "unit_id" uuid NOT NULL, "cycle" integer NOT NULL, "state" text NOT NULL, "due_at" TIMESTAMP WITH TIME ZONE NOT NULL, "claimed_by" text, "claimed_at" TIMESTAMP WITH TIME ZONE, "attempts" integer NOT NULL DEFAULT '0', "contacted" boolean, "resolved" boolean, "satisfaction" text, "comment" text, "channel" text, "finished_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_callback_task_cycle" UNIQUE ("ticket_id", "cycle"), CONSTRAINT "PK_c90c665933e5d1fed226fd29b3f" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_callback_task_queue" ON "callback"."callback_task"  ("district_code", "state", "due_at") `);
    await queryRunner.query(`CREATE TABLE "callback"."callback_attempt" ("id" uuid NOT NULL, "task_id" uuid NOT NULL, "agent" text NOT NULL, "result" text NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_612343f98b996e7f20e698bda85" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_callback_attempt_task" ON "callback"."callback_attempt"  ("task_id") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "callback"."idx_callback_attempt_task"`);
    await queryRunner.query(`DROP TABLE "callback"."callback_attempt"`);
    await queryRunner.query(`DROP INDEX "callback"."idx_callback_task_queue"`);
    await queryRunner.query(`DROP TABLE "callback"."callback_task"`);
    await queryRunner.query(`DROP INDEX "callback"."idx_dead_letter_open"`);
    await queryRunner.query(`DROP TABLE "callback"."dead_letter"`);
    await queryRunner.query(`DROP TABLE "callback"."inbox"`);
    await queryRunner.query(`DROP INDEX "callback"."idx_outbox_pending"`);
    await queryRunner.query(`DROP INDEX "callback"."idx_outbox_published"`);
    await queryRunner.query(`DROP TABLE "callback"."outbox"`);
  }
}
