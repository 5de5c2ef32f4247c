import { MigrationInterface, QueryRunner } from 'typeorm';

export class Open311ApiKeys1796447209609 implements MigrationInterface {
  name = 'Open311ApiKeys1796447209609';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "open311_api_key" ("id" uuid NOT NULL, "client_name" text NOT NULL, "key_prefix" text NOT NULL, "key_hash" text NOT NULL, "created_by" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "revoked_at" TIMESTAMP WITH TIME ZONE, "revoked_by" text, CONSTRAINT "PK_e1897fb083cf42cde41babeeb12" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_open311_api_key_hash" ON "open311_api_key"  ("key_hash") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "intake"."uq_open311_api_key_hash"`);
    await queryRunner.query(`DROP TABLE "open311_api_key"`);
  }
}
