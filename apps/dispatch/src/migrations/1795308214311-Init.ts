import { MigrationInterface, QueryRunner } from 'typeorm';

export class Init1795308214311 implements MigrationInterface {
  name = 'Init1795308214311';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "dispatch"."outbox" ("id" uuid NOT NULL, "seq" BIGSERIAL NOT NULL, "subject" text NOT NULL, "type" text NOT NULL, "envelope" jsonb NOT NULL, "headers" jsonb NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "published_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_340ab539f309f03bdaa14aa7649" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_outbox_published" ON "dispatch"."outbox"  ("published_at") WHERE published_at IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "idx_outbox_pending" ON "dispatch"."outbox"  ("seq") WHERE published_at IS NULL`);
    await queryRunner.query(`CREATE TABLE "dispatch"."inbox" ("consumer" text NOT NULL, "event_id" uuid NOT NULL, "processed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_625a303addbbe1f30d3f65ed7fe" PRIMARY KEY ("consumer", "event_id"))`);
    await queryRunner.query(`CREATE TABLE "dispatch"."dead_letter" ("id" uuid NOT NULL, "consumer" text NOT NULL, "subject" text NOT NULL, "stream_seq" bigint, "event_id" text, "event_type" text, "payload" text NOT NULL, "headers" jsonb NOT NULL DEFAULT '{}', "reason" text NOT NULL, "errors" jsonb NOT NULL, "deliveries" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "replayed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_e51e9e534cd18984b2aad76403c" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_dead_letter_open" ON "dispatch"."dead_letter"  ("created_at") WHERE replayed_at IS NULL`);
    await queryRunner.query(`CREATE TABLE "dispatch"."org_unit" ("id" uuid NOT NULL, "code" text NOT NULL, "name_zh" text NOT NULL, "name_en" text NOT NULL, "kind" text NOT NULL, "district_code" text NOT NULL, "street_code" text, "parent_id" uuid, "requires_head_signoff" boolean NOT NULL DEFAULT false, "active" boolean NOT NULL DEFAULT true, CONSTRAINT "PK_ba1c59043dc14bb66023c1d07c7" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_org_unit_code" ON "dispatch"."org_unit"  ("code") `);
    await queryRunner.query(`CREATE INDEX "idx_org_unit_district" ON "dispatch"."org_unit"  ("district_code") `);
    await queryRunner.query(`CREATE TABLE "dispatch"."route_rule" ("id" uuid NOT NULL, "district_code" text NOT NULL, "category_prefix" text, "street_code" text, "unit_id" uuid NOT NULL, "priority" integer NOT NULL, "active" boolean NOT NULL DEFAULT true, "note" text, CONSTRAINT "PK_dd46a0e60759f78ee8c2b65f417" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_route_rule_district" ON "dispatch"."route_rule"  ("district_code", "priority") `);
    await queryRunner.query(`CREATE TABLE "dispatch"."work_order" ("ticket_id" uuid NOT NULL, "order_no" text NOT NULL, "district_code" text NOT NULL, "street_code" text, "category_code" text NOT NULL, "request_type" text NOT NULL, "urgency" text NOT NULL, "flags" text array NOT NULL DEFAULT '{}', "content" text NOT NULL, "address" text NOT NULL, "identity_hidden" boolean NOT NULL DEFAULT false, "state" text NOT NULL, "unit_id" uuid, "assignment_id" uuid, "rule_id" uuid, "cycle" integer NOT NULL DEFAULT '1', "rework_count" integer NOT NULL DEFAULT '0', "outcome" text, "reply_text" text, "respond_due_at" TIMESTAMP WITH TIME ZONE, "finish_due_at" TIMESTAMP WITH TIME ZONE, "due_set_at" TIMESTAMP WITH TIME ZONE, "accepted_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_291f0d4df932ee3fed0a4ccb0a0" PRIMARY KEY ("ticket_id"))`);
    await queryRunner.query(`CREATE INDEX "idx_work_order_district_state" ON "dispatch"."work_order"  ("district_code", "state") `);
    await queryRunner.query(`CREATE INDEX "idx_work_order_unit_state" ON "dispatch"."work_order"  ("unit_id", "state") `);
    await queryRunner.query(`CREATE TABLE "dispatch"."timeline_entry" ("id" uuid NOT NULL, "ticket_id" uuid NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "actor" text NOT NULL, "action" text NOT NULL, "from_state" text, "to_state" text, "note" text, "data" jsonb NOT NULL DEFAULT '{}', CONSTRAINT "PK_61a61c7f75f9c69d73d7a2fd666" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_timeline_ticket" ON "dispatch"."timeline_entry"  ("ticket_id", "at") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "dispatch"."idx_timeline_ticket"`);
    await queryRunner.query(`DROP TABLE "dispatch"."timeline_entry"`);
    await queryRunner.query(`DROP INDEX "dispatch"."idx_work_order_unit_state"`);
    await queryRunner.query(`DROP INDEX "dispatch"."idx_work_order_district_state"`);
    await queryRunner.query(`DROP TABLE "dispatch"."work_order"`);
    await queryRunner.query(`DROP INDEX "dispatch"."idx_route_rule_district"`);
    await queryRunner.query(`DROP TABLE "dispatch"."route_rule"`);
    await queryRunner.query(`DROP INDEX "dispatch"."idx_org_unit_district"`);
    await queryRunner.query(`DROP INDEX "dispatch"."uq_org_unit_code"`);
    await queryRunner.query(`DROP TABLE "dispatch"."org_unit"`);
    await queryRunner.query(`DROP INDEX "dispatch"."idx_dead_letter_open"`);
    await queryRunner.query(`DROP TABLE "dispatch"."dead_letter"`);
    await queryRunner.query(`DROP TABLE "dispatch"."inbox"`);
    await queryRunner.query(`DROP INDEX "dispatch"."idx_outbox_pending"`);
    await queryRunner.query(`DROP INDEX "dispatch"."idx_outbox_published"`);
    await queryRunner.query(`DROP TABLE "dispatch"."outbox"`);
  }
}
