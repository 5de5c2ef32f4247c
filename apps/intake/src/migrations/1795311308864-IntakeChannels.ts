import { MigrationInterface, QueryRunner } from 'typeorm';

export class IntakeChannels1795311308864 implements MigrationInterface {
  name = 'IntakeChannels1795311308864';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "classifier_sample" ("ticket_id" uuid NOT NULL, "text" text NOT NULL, "category_code" text NOT NULL, "suggested_code" text, "corrected" boolean NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_b0e579b50c82def1774fbdf7655" PRIMARY KEY ("ticket_id"))`);
    await queryRunner.query(`CREATE TABLE "kb_article" ("id" uuid NOT NULL, "title" text NOT NULL, "body" text NOT NULL, "category_codes" text array NOT NULL DEFAULT '{}', "valid_from" date, "valid_to" date, "search_text" text NOT NULL, "created_by" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_314e8c89f96287f959bbe4dba27" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "category" ("code" text NOT NULL, "parent_code" text, "level" integer NOT NULL, "name_zh" text NOT NULL, "name_en" text NOT NULL, "keywords" text array NOT NULL DEFAULT '{}', "active" boolean NOT NULL DEFAULT true, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_652a15c02538138f021f1320de8" PRIMARY KEY ("code"))`);
    await queryRunner.query(`CREATE INDEX "idx_category_parent" ON "category"  ("parent_code") `);
    await queryRunner.query(`CREATE TABLE "idempotency_key" ("scope" text NOT NULL, "key" text NOT NULL, "request_hash" text NOT NULL, "ticket_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_2738e797ef2c60d9a902bad976a" PRIMARY KEY ("scope", "key"))`);
    await queryRunner.query(`ALTER TABLE "ticket" ADD "anonymous" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`ALTER TABLE "ticket" ADD "disposition" text NOT NULL DEFAULT 'dispatch'`);
    await queryRunner.query(`ALTER TABLE "ticket" ADD "merged_into" uuid`);
    await queryRunner.query(`ALTER TABLE "ticket" ADD "citizen_count" integer NOT NULL DEFAULT '1'`);
    await queryRunner.query(`ALTER TABLE "ticket" ADD "not_accepted_reason" text`);
    await queryRunner.query(`ALTER TABLE "ticket" ADD "public_answer" text`);
    await queryRunner.query(`ALTER TABLE "ticket" ADD "article_id" uuid`);
    await queryRunner.query(`ALTER TABLE "ticket" ADD "suggested_category" text`);
    await queryRunner.query(`ALTER TABLE "ticket" ADD "location_source" text NOT NULL DEFAULT 'given'`);
    await queryRunner.query(`ALTER TABLE "ticket" ADD "progress" text NOT NULL DEFAULT 'accepted'`);
    await queryRunner.query(`ALTER TABLE "ticket" ADD "progress_cycle" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "ticket" ADD "progress_rank" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "ticket" ADD "progress_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "ticket" ADD "unit_name" text`);
    await queryRunner.query(`ALTER TABLE "ticket" ADD "public_reply" text`);
    await queryRunner.query(`CREATE INDEX "idx_ticket_merged_into" ON "ticket"  ("merged_into") `);
    await queryRunner.query(`ALTER TABLE "ticket" ADD "unit_id" uuid`);
    // Not expressible as an entity index: the knowledge base's full-text index over pre-cut words.
    await queryRunner.query(`CREATE INDEX "idx_kb_article_search" ON "kb_article" USING GIN (to_tsvector('simple', "search_text"))`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "intake"."idx_kb_article_search"`);
    await queryRunner.query(`ALTER TABLE "ticket" DROP COLUMN "unit_id"`);
    await queryRunner.query(`DROP INDEX "intake"."idx_ticket_merged_into"`);
    await queryRunner.query(`ALTER TABLE "ticket" DROP COLUMN "public_reply"`);
    await queryRunner.query(`ALTER TABLE "ticket" DROP COLUMN "unit_name"`);
    await queryRunner.query(`ALTER TABLE "ticket" DROP COLUMN "progress_at"`);
    await queryRunner.query(`ALTER TABLE "ticket" DROP COLUMN "progress_rank"`);
    await queryRunner.query(`ALTER TABLE "ticket" DROP COLUMN "progress_cycle"`);
    await queryRunner.query(`ALTER TABLE "ticket" DROP COLUMN "progress"`);
    await queryRunner.query(`ALTER TABLE "ticket" DROP COLUMN "location_source"`);
    await queryRunner.query(`ALTER TABLE "ticket" DROP COLUMN "suggested_category"`);
    await queryRunner.query(`ALTER TABLE "ticket" DROP COLUMN "article_id"`);
    await queryRunner.query(`ALTER TABLE "ticket" DROP COLUMN "public_answer"`);
    await queryRunner.query(`ALTER TABLE "ticket" DROP COLUMN "not_accepted_reason"`);
    await queryRunner.query(`ALTER TABLE "ticket" DROP COLUMN "citizen_count"`);
    await queryRunner.query(`ALTER TABLE "ticket" DROP COLUMN "merged_into"`);
    await queryRunner.query(`ALTER TABLE "ticket" DROP COLUMN "disposition"`);
    await queryRunner.query(`ALTER TABLE "ticket" DROP COLUMN "anonymous"`);
    await queryRunner.query(`DROP TABLE "idempotency_key"`);
    await queryRunner.query(`DROP INDEX "intake"."idx_category_parent"`);
    await queryRunner.query(`DROP TABLE "category"`);
    await queryRunner.query(`DROP TABLE "kb_article"`);
    await queryRunner.query(`DROP TABLE "classifier_sample"`);
  }
}
