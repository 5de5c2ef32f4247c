import { MigrationInterface, QueryRunner } from 'typeorm';

export class Init1795308211627 implements MigrationInterface {
  name = 'Init1795308211627';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "intake"."outbox" ("id" uuid NOT NULL, "seq" BIGSERIAL NOT NULL, "subject" text NOT NULL, "type" text NOT NULL, "envelope" jsonb NOT NULL, "headers" jsonb NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "published_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_340ab539f309f03bdaa14aa7649" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_outbox_published" ON "intake"."outbox"  ("published_at") WHERE published_at IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "idx_outbox_pending" ON "intake"."outbox"  ("seq") WHERE published_at IS NULL`);
    await queryRunner.query(`CREATE TABLE "intake"."inbox" ("consumer" text NOT NULL, "event_id" uuid NOT NULL, "processed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_625a303addbbe1f30d3f65ed7fe" PRIMARY KEY ("consumer", "event_id"))`);
    await queryRunner.query(`CREATE TABLE "intake"."dead_letter" ("id" uuid NOT NULL, "consumer" text NOT NULL, "subject" text NOT NULL, "stream_seq" bigint, "event_id" text, "event_type" text, "payload" text NOT NULL, "headers" jsonb NOT NULL DEFAULT '{}', "reason" text NOT NULL, "errors" jsonb NOT NULL, "deliveries" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "replayed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_e51e9e534cd18984b2aad76403c" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_dead_letter_open" ON "intake"."dead_letter"  ("created_at") WHERE replayed_at IS NULL`);
    await queryRunner.query(`CREATE TABLE "intake"."ticket" ("id" uuid NOT NULL, "order_no" text NOT NULL, "channel" text NOT NULL, "request_type" text NOT NULL, "category_code" text NOT NULL, "urgency" text NOT NULL, "content" text NOT NULL, "address" text NOT NULL, "district_code" text NOT NULL, "street_code" text, "community_code" text, "lat" double precision, "lng" double precision, "citizen_name_enc" text, "citizen_phone_enc" text, "citizen_phone_hash" text, "citizen_phone_masked" text, "citizen_name_masked" text, "identity_hidden" boolean NOT NULL DEFAULT false, "proactive" boolean NOT NULL DEFAULT false, "flags" text array NOT NULL DEFAULT '{}', "created_by" text NOT NULL, "accepted_at" TIMESTAMP WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_d9a0835407701eb86f874474b7c" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_ticket_order_no" ON "intake"."ticket"  ("order_no") `);
    await queryRunner.query(`CREATE INDEX "idx_ticket_phone_hash" ON "intake"."ticket"  ("citizen_phone_hash") `);
    await queryRunner.query(`CREATE INDEX "idx_ticket_district_accepted" ON "intake"."ticket"  ("district_code", "accepted_at") `);
    await queryRunner.query(`CREATE TABLE "intake"."order_sequence" ("day" date NOT NULL, "last" integer NOT NULL, CONSTRAINT "PK_cd50b73882796f1edcbfd1e67ea" PRIMARY KEY ("day"))`);
    await queryRunner.query(`CREATE TABLE "intake"."reveal_audit" ("id" uuid NOT NULL, "ticket_id" uuid NOT NULL, "requested_by" text NOT NULL, "role" text NOT NULL, "purpose" text NOT NULL, "granted" boolean NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_e6b3ed22c80ae39639b51fe4565" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_reveal_audit_ticket" ON "intake"."reveal_audit"  ("ticket_id") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "intake"."idx_reveal_audit_ticket"`);
    await queryRunner.query(`DROP TABLE "intake"."reveal_audit"`);
    await queryRunner.query(`DROP TABLE "intake"."order_sequence"`);
    await queryRunner.query(`DROP INDEX "intake"."idx_ticket_district_accepted"`);
    await queryRunner.query(`DROP INDEX "intake"."idx_ticket_phone_hash"`);
    await queryRunner.query(`DROP INDEX "intake"."uq_ticket_order_no"`);
    await queryRunner.query(`DROP TABLE "intake"."ticket"`);
    await queryRunner.query(`DROP INDEX "intake"."idx_dead_letter_open"`);
    await queryRunner.query(`DROP TABLE "intake"."dead_letter"`);
    await queryRunner.query(`DROP TABLE "intake"."inbox"`);
    await queryRunner.query(`DROP INDEX "intake"."idx_outbox_pending"`);
    await queryRunner.query(`DROP INDEX "intake"."idx_outbox_published"`);
    await queryRunner.query(`DROP TABLE "intake"."outbox"`);
  }
}
