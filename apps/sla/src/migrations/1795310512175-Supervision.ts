import { MigrationInterface, QueryRunner } from 'typeorm';

/** Warnings by rule, escalation ladder, extensions, pauses and the supervision list (督办清单). */
export class Supervision1795310512175 implements MigrationInterface {
  name = 'Supervision1795310512175';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "sla_extension" ("id" uuid NOT NULL, "ticket_id" uuid NOT NULL, "district_code" text NOT NULL, "unit_id" uuid NOT NULL, "assignment_id" uuid NOT NULL, "cycle" integer NOT NULL, "days" integer NOT NULL, "reason" text NOT NULL, "requested_at" TIMESTAMP WITH TIME ZONE NOT NULL, "status" text NOT NULL, "due_at_request" TIMESTAMP WITH TIME ZONE NOT NULL, "granted_days" integer NOT NULL DEFAULT '0', "new_due_at" TIMESTAMP WITH TIME ZONE, "decided_by" text, "decided_at" TIMESTAMP WITH TIME ZONE, "decision_note" text, CONSTRAINT "PK_a22b52d6d9c123d6c2cbfe495e3" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_sla_extension_ticket" ON "sla_extension"  ("ticket_id") `);
    await queryRunner.query(`CREATE INDEX "idx_sla_extension_status" ON "sla_extension"  ("status", "district_code", "requested_at") `);
    await queryRunner.query(`CREATE TABLE "supervision_item" ("id" uuid NOT NULL, "ticket_id" uuid NOT NULL, "district_code" text NOT NULL, "unit_id" uuid NOT NULL, "reason" text NOT NULL, "level" text NOT NULL, "cycle" integer NOT NULL, "status" text NOT NULL, "summary" text NOT NULL, "opened_at" TIMESTAMP WITH TIME ZONE NOT NULL, "urge_count" integer NOT NULL DEFAULT '0', "last_urged_at" TIMESTAMP WITH TIME ZONE, "closed_at" TIMESTAMP WITH TIME ZONE, "closed_by" text, CONSTRAINT "PK_cf4bf67567eb9d885408a7942ed" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_supervision_item_list" ON "supervision_item"  ("status", "district_code", "opened_at") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_supervision_item_open" ON "supervision_item"  ("ticket_id", "reason") WHERE status = 'open'`);
    await queryRunner.query(`CREATE TABLE "supervision_action" ("id" uuid NOT NULL, "item_id" uuid NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "actor" text NOT NULL, "action" text NOT NULL, "label" text NOT NULL, "note" text, CONSTRAINT "PK_26ba284cf6a7b0e25f57da0f76d" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_supervision_action_item" ON "supervision_action"  ("item_id", "at") `);
    await queryRunner.query(`ALTER TABLE "sla_clock" ADD "fired" text array NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`ALTER TABLE "sla_clock" ADD "escalation_step" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "sla_clock" ADD "escalated_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "sla_clock" ADD "extended_working_days" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "sla_clock" ADD "paused_minutes" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "sla_clock" ADD "paused_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "sla_clock" ADD "pause_reason" text`);
    await queryRunner.query(`ALTER TABLE "sla_policy" ADD "warn_working_days_before" integer`);
    await queryRunner.query(`ALTER TABLE "sla_policy" ADD "escalation" jsonb NOT NULL DEFAULT '[{"target":"unit","afterWorkingDays":0},{"target":"district","afterWorkingDays":1},{"target":"city","afterWorkingDays":5}]'`);
    await queryRunner.query(`ALTER TABLE "sla_policy" ALTER COLUMN "escalation" DROP DEFAULT`);
    await queryRunner.query(`ALTER TABLE "sla_policy" ADD "max_extension_working_days" integer NOT NULL DEFAULT '10'`);
    await queryRunner.query(`ALTER TABLE "sla_policy" ADD "auto_approve_extension_working_days" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "sla_policy" ADD "pause_on" text array NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`ALTER TABLE "sla_policy" ADD "supersedes_id" uuid`);
    await queryRunner.query(`ALTER TABLE "sla_policy" ADD "created_by" text`);
    await queryRunner.query(`CREATE INDEX "idx_sla_clock_open_due" ON "sla_clock"  ("due_at") WHERE stopped_at IS NULL`);
    // Clocks that fired before milestones had keys: record what they fired, so nothing fires twice.
    await queryRunner.query(`UPDATE "sla_clock" c SET fired = array_remove(ARRAY[
        CASE WHEN c.warned_at IS NOT NULL AND c.warned_at < c.due_at THEN 'warn:elapsed_' || p.warn_percent || 'pct' END,
        CASE WHEN c.breached_at IS NOT NULL THEN 'breach' END], NULL)
      FROM "sla_policy" p WHERE p.id = c.policy_id AND (c.warned_at IS NOT NULL OR c.breached_at IS NOT NULL)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "sla"."idx_sla_clock_open_due"`);
    await queryRunner.query(`ALTER TABLE "sla_policy" DROP COLUMN "created_by"`);
    await queryRunner.query(`ALTER TABLE "sla_policy" DROP COLUMN "supersedes_id"`);
    await queryRunner.query(`ALTER TABLE "sla_policy" DROP COLUMN "pause_on"`);
    await queryRunner.query(`ALTER TABLE "sla_policy" DROP COLUMN "auto_approve_extension_working_days"`);
    await queryRunner.query(`ALTER TABLE "sla_policy" DROP COLUMN "max_extension_working_days"`);
    await queryRunner.query(`ALTER TABLE "sla_policy" DROP COLUMN "escalation"`);
    await queryRunner.query(`ALTER TABLE "sla_policy" DROP COLUMN "warn_working_days_before"`);
    await queryRunner.query(`ALTER TABLE "sla_clock" DROP COLUMN "pause_reason"`);
    await queryRunner.query(`ALTER TABLE "sla_clock" DROP COLUMN "paused_at"`);
    await queryRunner.query(`ALTER TABLE "sla_clock" DROP COLUMN "paused_minutes"`);
    await queryRunner.query(`ALTER TABLE "sla_clock" DROP COLUMN "extended_working_days"`);
    await queryRunner.query(`ALTER TABLE "sla_clock" DROP COLUMN "escalated_at"`);
    await queryRunner.query(`ALTER TABLE "sla_clock" DROP COLUMN "escalation_step"`);
    await queryRunner.query(`ALTER TABLE "sla_clock" DROP COLUMN "fired"`);
    await queryRunner.query(`DROP INDEX "sla"."idx_supervision_action_item"`);
    await queryRunner.query(`DROP TABLE "supervision_action"`);
    await queryRunner.query(`DROP INDEX "sla"."uq_supervision_item_open"`);
    await queryRunner.query(`DROP INDEX "sla"."idx_supervision_item_list"`);
    await queryRunner.query(`DROP TABLE "supervision_item"`);
    await queryRunner.query(`DROP INDEX "sla"."idx_sla_extension_status"`);
    await queryRunner.query(`DROP INDEX "sla"."idx_sla_extension_ticket"`);
    await queryRunner.query(`DROP TABLE "sla_extension"`);
  }
}
