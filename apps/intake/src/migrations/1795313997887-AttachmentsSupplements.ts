import { MigrationInterface, QueryRunner } from 'typeorm';

export class AttachmentsSupplements1795313997887 implements MigrationInterface {
  name = 'AttachmentsSupplements1795313997887';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "attachment" ("id" uuid NOT NULL, "ticket_id" uuid NOT NULL, "file_name" text NOT NULL, "content_type" text NOT NULL, "size" integer NOT NULL, "sha256" text NOT NULL, "storage_key" text NOT NULL, "uploaded_by" text NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_d2a80c3a8d467f08a750ac4b420" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_attachment_storage_key" ON "attachment"  ("storage_key") `);
    await queryRunner.query(`CREATE INDEX "idx_attachment_ticket" ON "attachment"  ("ticket_id", "at") `);
    await queryRunner.query(`CREATE TABLE "supplement" ("id" uuid NOT NULL, "ticket_id" uuid NOT NULL, "text" text NOT NULL, "created_by" text NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_e88bfaa9511f7093f7fb015bb07" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_supplement_ticket" ON "supplement"  ("ticket_id", "at") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "intake"."idx_supplement_ticket"`);
    await queryRunner.query(`DROP TABLE "supplement"`);
    await queryRunner.query(`DROP INDEX "intake"."idx_attachment_ticket"`);
    await queryRunner.query(`DROP INDEX "intake"."uq_attachment_storage_key"`);
    await queryRunner.query(`DROP TABLE "attachment"`);
  }
}
