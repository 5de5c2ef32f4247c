import { MigrationInterface, QueryRunner } from 'typeorm';

export class Init1795308223896 implements MigrationInterface {
  name = 'Init1795308223896';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "analytics"."outbox" ("id" uuid NOT NULL, "seq" BIGSERIAL NOT NULL, "subject" text NOT NULL, "type" text NOT NULL, "envelope" jsonb NOT NULL, "headers" jsonb NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "published_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_340ab539f309f03bdaa14aa7649" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_outbox_published" ON "analytics"."outbox"  ("published_at") WHERE published_at IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "idx_outbox_pending" ON "analytics"."outbox"  ("seq") WHERE published_at IS NULL`);
    await queryRunner.query(`CREATE TABLE "analytics"."inbox" ("consumer" text NOT NULL, "event_id" uuid NOT NULL, "processed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_625a303addbbe1f30d3f65ed7fe" PRIMARY KEY ("consumer", "event_id"))`);
    await queryRunner.query(`CREATE TABLE "analytics"."dead_letter" ("id" uuid NOT NULL, "consumer" text NOT NULL, "subject" text NOT NULL, "stream_seq" bigint, "event_id" text, "event_type" text, "payload" text NOT NULL, "headers" jsonb NOT NULL DEFAULT '{}', "reason" text NOT NULL, "errors" jsonb NOT NULL, "deliveries" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "replayed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_e51e9e534cd18984b2aad76403c" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_dead_letter_open" ON "analytics"."dead_letter"  ("created_at") WHERE replayed_at IS NULL`);
    await queryRunner.query(`CREATE TABLE "analytics"."ticket_fact" ("ticket_id" uuid NOT NULL, "district_code" text NOT NULL, "order_no" text, "channel" text, "category_code" text, "request_type" text, "urgency" text, "unit_id" uuid, "accepted_at" TIMESTAMP WITH TIME ZONE, "answered_at" TIMESTAMP WITH TIME ZONE, "dispatched_at" TIMESTAMP WITH TIME ZONE, "contacted_at" TIMESTAMP WITH TIME ZONE, "respond_due_at" TIMESTAMP WITH TIME ZONE, "first_finish_due_at" TIMESTAMP WITH TIME ZONE, "first_replied_at" TIMESTAMP WITH TIME ZONE, "last_replied_at" TIMESTAMP WITH TIME ZONE, "closed_at" TIMESTAMP WITH TIME ZONE, "merged_count" integer NOT NULL DEFAULT '0', "sent_back_count" integer NOT NULL DEFAULT '0', "reopen_count" integer NOT NULL DEFAULT '0', "respond_breached" boolean NOT NULL DEFAULT false, "finish_breached" boolean NOT NULL DEFAULT false, CONSTRAINT "PK_4af8abe10a906773e978e437f3b" PRIMARY KEY ("ticket_id"))`);
    await queryRunner.query(`CREATE INDEX "idx_ticket_fact_district_replied" ON "analytics"."ticket_fact"  ("district_code", "first_replied_at") `);
    await queryRunner.query(`CREATE INDEX "idx_ticket_fact_district_accepted" ON "analytics"."ticket_fact"  ("district_code", "accepted_at") `);
    await queryRunner.query(`CREATE INDEX "idx_ticket_fact_district_dispatched" ON "analytics"."ticket_fact"  ("district_code", "dispatched_at") `);
    await queryRunner.query(`CREATE TABLE "analytics"."callback_fact" ("task_id" uuid NOT NULL, "ticket_id" uuid NOT NULL, "district_code" text NOT NULL, "unit_id" uuid NOT NULL, "cycle" integer NOT NULL, "completed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "failed" boolean NOT NULL, "contacted" boolean, "resolved" boolean, "satisfaction" text, CONSTRAINT "PK_1549f335a05d676e185962a2043" PRIMARY KEY ("task_id"))`);
    await queryRunner.query(`CREATE INDEX "idx_callback_fact_district_completed" ON "analytics"."callback_fact"  ("district_code", "completed_at") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "analytics"."idx_callback_fact_district_completed"`);
    await queryRunner.query(`DROP TABLE "analytics"."callback_fact"`);
    await queryRunner.query(`DROP INDEX "analytics"."idx_ticket_fact_district_dispatched"`);
    await queryRunner.query(`DROP INDEX "analytics"."idx_ticket_fact_district_accepted"`);
    await queryRunner.query(`DROP INDEX "analytics"."idx_ticket_fact_district_replied"`);
    await queryRunner.query(`DROP TABLE "analytics"."ticket_fact"`);
    await queryRunner.query(`DROP INDEX "analytics"."idx_dead_letter_open"`);
    await queryRunner.query(`DROP TABLE "analytics"."dead_letter"`);
    await queryRunner.query(`DROP TABLE "analytics"."inbox"`);
    await queryRunner.query(`DROP INDEX "analytics"."idx_outbox_pending"`);
    await queryRunner.query(`DROP INDEX "analytics"."idx_outbox_published"`);
    await queryRunner.query(`DROP TABLE "analytics"."outbox"`);
  }
}
