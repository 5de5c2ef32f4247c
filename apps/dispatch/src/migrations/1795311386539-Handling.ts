import { MigrationInterface, QueryRunner } from 'typeorm';

export class Handling1795311386539 implements MigrationInterface {
  name = 'Handling1795311386539';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "co_assignment" ("id" uuid NOT NULL, "ticket_id" uuid NOT NULL, "unit_id" uuid NOT NULL, "state" text NOT NULL, "added_by" text NOT NULL, "added_at" TIMESTAMP WITH TIME ZONE NOT NULL, "signed_at" TIMESTAMP WITH TIME ZONE, "signed_by" text, "part_text" text, "submitted_at" TIMESTAMP WITH TIME ZONE, "submitted_by" text, CONSTRAINT "PK_a747869be045b8518e3acdbc6ef" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_co_assignment_unit_state" ON "co_assignment"  ("unit_id", "state") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_co_assignment_unit" ON "co_assignment"  ("ticket_id", "unit_id") `);
    await queryRunner.query(`ALTER TABLE "org_unit" ADD "dual_signoff_required" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`ALTER TABLE "route_rule" ADD "request_type" text`);
    await queryRunner.query(`ALTER TABLE "route_rule" ADD "urgency" text`);
    await queryRunner.query(`ALTER TABLE "route_rule" ADD "flag" text`);
    await queryRunner.query(`ALTER TABLE "work_order" ADD "assigned_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "work_order" ADD "returnable" boolean NOT NULL DEFAULT true`);
    await queryRunner.query(`ALTER TABLE "work_order" ADD "suggested_unit_id" uuid`);
    await queryRunner.query(`ALTER TABLE "work_order" ADD "suggested_rule_id" uuid`);
    await queryRunner.query(`ALTER TABLE "work_order" ADD "assignees" text array NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`ALTER TABLE "work_order" ADD "sub_unit_id" uuid`);
    await queryRunner.query(`ALTER TABLE "work_order" ADD "attachments" jsonb NOT NULL DEFAULT '[]'`);
    await queryRunner.query(`ALTER TABLE "work_order" ADD "replied_by" text`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "work_order" DROP COLUMN "replied_by"`);
    await queryRunner.query(`ALTER TABLE "work_order" DROP COLUMN "attachments"`);
    await queryRunner.query(`ALTER TABLE "work_order" DROP COLUMN "sub_unit_id"`);
    await queryRunner.query(`ALTER TABLE "work_order" DROP COLUMN "assignees"`);
    await queryRunner.query(`ALTER TABLE "work_order" DROP COLUMN "suggested_rule_id"`);
    await queryRunner.query(`ALTER TABLE "work_order" DROP COLUMN "suggested_unit_id"`);
    await queryRunner.query(`ALTER TABLE "work_order" DROP COLUMN "returnable"`);
    await queryRunner.query(`ALTER TABLE "work_order" DROP COLUMN "assigned_at"`);
    await queryRunner.query(`ALTER TABLE "route_rule" DROP COLUMN "flag"`);
    await queryRunner.query(`ALTER TABLE "route_rule" DROP COLUMN "urgency"`);
    await queryRunner.query(`ALTER TABLE "route_rule" DROP COLUMN "request_type"`);
    await queryRunner.query(`ALTER TABLE "org_unit" DROP COLUMN "dual_signoff_required"`);
    await queryRunner.query(`DROP INDEX "dispatch"."uq_co_assignment_unit"`);
    await queryRunner.query(`DROP INDEX "dispatch"."idx_co_assignment_unit_state"`);
    await queryRunner.query(`DROP TABLE "co_assignment"`);
  }
}
