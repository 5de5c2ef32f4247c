import { MigrationInterface, QueryRunner } from 'typeorm';

export class Init1795308217584 implements MigrationInterface {
  name = 'Init1795308217584';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "sla"."outbox" ("id" uuid NOT NULL, "seq" BIGSERIAL NOT NULL, "subject" text NOT NULL, "type" text NOT NULL, "envelope" jsonb NOT NULL, "headers" jsonb NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "published_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_340ab539f309f03bdaa14aa7649" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_outbox_published" ON "sla"."outbox"  ("published_at") WHERE published_at IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "idx_outbox_pending" ON "sla"."outbox"  ("seq") WHERE published_at IS NULL`);
    await queryRunner.query(`CREATE TABLE "sla"."inbox" ("consumer" text NOT NULL, "event_id" uuid NOT NULL, "processed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_625a303addbbe1f30d3f65ed7fe" PRIMARY KEY ("consumer", "event_id"))`);
    await queryRunner.query(`CREATE TABLE "sla"."dead_letter" ("id" uuid NOT NULL, "consumer" text NOT NULL, "subject" text NOT NULL, "stream_seq" bigint, "event_id" text, "event_type" text, "payload" text NOT NULL, "headers" jsonb NOT NULL DEFAULT '{}', "reason" text NOT NULL, "errors" jsonb NOT NULL, "deliveries" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "replayed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_e51e9e534cd18984b2aad76403c" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_dead_letter_open" ON "sla"."dead_letter"  ("created_at") WHERE replayed_at IS NULL`);
    await queryRunner.query(`CREATE TABLE "sla"."calendar_day" ("day" date NOT NULL, "working" boolean NOT NULL, "note" text, CONSTRAINT "PK_0f0fd32432f4e23544a28c0562b" PRIMARY KEY ("day"))`);
    await queryRunner.query(`CREATE TABLE "sla"."calendar_year" ("year" integer NOT NULL, "source" text NOT NULL, CONSTRAINT "PK_4a5f5b39f8e07f51dab5be6fed9" PRIMARY KEY ("year"))`);
    await queryRunner.query(`CREATE TABLE "sla"."sla_clock" ("id" uuid NOT NULL, "ticket_id" uuid NOT NULL, "district_code" text NOT NULL, "unit_id" uuid NOT NULL, "kind" text NOT NULL, "cycle" integer NOT NULL, "policy_id" uuid NOT NULL, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "due_at" TIMESTAMP WITH TIME ZONE NOT NULL, "warn_at" TIMESTAMP WITH TIME ZONE NOT NULL, "warned_at" TIMESTAMP WITH TIME ZONE, "breached_at" TIMESTAMP WITH TIME ZONE, "stopped_at" TIMESTAMP WITH TIME ZONE, "next_fire_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "uq_sla_clock_cycle" UNIQUE ("ticket_id", "kind", "cycle"), CONSTRAINT "PK_c2a8a96fd7eadc64be20e2fbd60" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_sla_clock_next_fire" ON "sla"."sla_clock"  ("next_fire_at") WHERE next_fire_at IS NOT NULL`);
    await queryRunner.query(`CREATE TABLE "sla"."sla_policy" ("id" uuid NOT NULL, "name" text NOT NULL, "version" integer NOT NULL DEFAULT '1', "district_code" text, "request_type" text, "category_prefix" text, "urgency" text, "flag" text, "respond_value" integer NOT NULL, "respond_unit" text NOT NULL, "finish_value" integer NOT NULL, "finish_unit" text NOT NULL, "warn_percent" integer NOT NULL DEFAULT '75', "priority" integer NOT NULL DEFAULT '0', "active" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_19c1aa9dd53b9fc80648ae034b4" PRIMARY KEY ("id"))`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "sla"."sla_policy"`);
    await queryRunner.query(`DROP INDEX "sla"."idx_sla_clock_next_fire"`);
    await queryRunner.query(`DROP TABLE "sla"."sla_clock"`);
    await queryRunner.query(`DROP TABLE "sla"."calendar_year"`);
    await queryRunner.query(`DROP TABLE "sla"."calendar_day"`);
    await queryRunner.query(`DROP INDEX "sla"."idx_dead_letter_open"`);
    await queryRunner.query(`DROP TABLE "sla"."dead_letter"`);
    await queryRunner.query(`DROP TABLE "sla"."inbox"`);
    await queryRunner.query(`DROP INDEX "sla"."idx_outbox_pending"`);
    await queryRunner.query(`DROP INDEX "sla"."idx_outbox_published"`);
    await queryRunner.query(`DROP TABLE "sla"."outbox"`);
  }
}
