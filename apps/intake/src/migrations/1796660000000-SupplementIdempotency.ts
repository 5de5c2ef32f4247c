import { MigrationInterface, QueryRunner } from 'typeorm';

/** 补充诉求 with an Idempotency-Key (the citizen's status page, and operators): a retry adds nothing. */
export class SupplementIdempotency1796660000000 implements MigrationInterface {
  name = 'SupplementIdempotency1796660000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "supplement" ADD "idempotency_key" text`);
    await queryRunner.query(`ALTER TABLE "supplement" ADD "request_hash" text`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_supplement_idempotency" ON "supplement"  ("ticket_id", "created_by", "idempotency_key") WHERE "idempotency_key" IS NOT NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "intake"."uq_supplement_idempotency"`);
    await queryRunner.query(`ALTER TABLE "supplement" DROP COLUMN "request_hash"`);
    await queryRunner.query(`ALTER TABLE "supplement" DROP COLUMN "idempotency_key"`);
  }
}
