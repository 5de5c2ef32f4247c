import { MigrationInterface, QueryRunner } from 'typeorm';

export class Init1796435812224 implements MigrationInterface {
  name = 'Init1796435812224';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "outbox" ("id" uuid NOT NULL, "seq" BIGSERIAL NOT NULL, "subject" text NOT NULL, "type" text NOT NULL, "envelope" jsonb NOT NULL, "headers" jsonb NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "published_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_340ab539f309f03bdaa14aa7649" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_outbox_published" ON "outbox"  ("published_at") WHERE published_at IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "idx_outbox_pending" ON "outbox"  ("seq") WHERE published_at IS NULL`);
    await queryRunner.query(`CREATE TABLE "inbox" ("consumer" text NOT NULL, "event_id" uuid NOT NULL, "processed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_625a303addbbe1f30d3f65ed7fe" PRIMARY KEY ("consumer", "event_id"))`);
    await queryRunner.query(`CREATE TABLE "dead_letter" ("id" uuid NOT NULL, "consumer" text NOT NULL, "subject" text NOT NULL, "stream_seq" bigint, "event_id" text, "event_type" text, "payload" text NOT NULL, "headers" jsonb NOT NULL DEFAULT '{}', "reason" text NOT NULL, "errors" jsonb NOT NULL, "deliveries" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "replayed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_e51e9e534cd18984b2aad76403c" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_dead_letter_open" ON "dead_letter"  ("created_at") WHERE replayed_at IS NULL`);
    await queryRunner.query(`CREATE TABLE "staff_account" ("id" uuid NOT NULL, "login_name" text NOT NULL, "display_name" text NOT NULL, "mobile_enc" text, "mobile_masked" text, "unit_id" uuid, "unit_name" text, "unit_district" text, "roles" text array NOT NULL DEFAULT '{}', "districts" text array NOT NULL DEFAULT '{}', "state" text NOT NULL DEFAULT 'active', "password_hash" text, "must_change_password" boolean NOT NULL DEFAULT false, "failed_logins" integer NOT NULL DEFAULT '0', "locked_until" TIMESTAMP WITH TIME ZONE, "totp_secret_enc" text, "totp_enabled" boolean NOT NULL DEFAULT false, "totp_last_step" bigint, "oidc_subject" text, "revision" bigint NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_4d2399aabd15dae3014759ae87d" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_staff_account_login" ON "staff_account"  ("login_name") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_staff_account_oidc" ON "staff_account"  ("oidc_subject") WHERE oidc_subject IS NOT NULL`);
    await queryRunner.query(`CREATE TABLE "audit_entry" ("id" BIGSERIAL NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "actor_id" uuid, "actor_name" text, "action" text NOT NULL, "target_id" uuid, "before" jsonb, "after" jsonb, CONSTRAINT "PK_58a130a4b9da189f46ba2a01801" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_audit_target" ON "audit_entry"  ("target_id", "at") `);
    await queryRunner.query(`CREATE TABLE "session" ("token_hash" text NOT NULL, "account_id" uuid NOT NULL, "csrf_token" text NOT NULL, "method" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "last_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "user_agent" text, "ip" text, CONSTRAINT "PK_a83507eb0338ac037780e02f2b9" PRIMARY KEY ("token_hash"))`);
    await queryRunner.query(`CREATE INDEX "idx_session_account" ON "session"  ("account_id") `);
    await queryRunner.query(`CREATE TABLE "oidc_pending" ("state" text NOT NULL, "nonce" text NOT NULL, "code_verifier" text NOT NULL, "return_to" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_7a1c96dbffd4a773bd251a282e6" PRIMARY KEY ("state"))`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "oidc_pending"`);
    await queryRunner.query(`DROP INDEX "console"."idx_session_account"`);
    await queryRunner.query(`DROP TABLE "session"`);
    await queryRunner.query(`DROP INDEX "console"."idx_audit_target"`);
    await queryRunner.query(`DROP TABLE "audit_entry"`);
    await queryRunner.query(`DROP INDEX "console"."uq_staff_account_oidc"`);
    await queryRunner.query(`DROP INDEX "console"."uq_staff_account_login"`);
    await queryRunner.query(`DROP TABLE "staff_account"`);
    await queryRunner.query(`DROP INDEX "console"."idx_dead_letter_open"`);
    await queryRunner.query(`DROP TABLE "dead_letter"`);
    await queryRunner.query(`DROP TABLE "inbox"`);
    await queryRunner.query(`DROP INDEX "console"."idx_outbox_pending"`);
    await queryRunner.query(`DROP INDEX "console"."idx_outbox_published"`);
    await queryRunner.query(`DROP TABLE "outbox"`);
  }
}
