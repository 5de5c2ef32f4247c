import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The provisional calendar (a year without data: weekends only, marked on the clock), the window a
 * clock's schedule reads the calendar over (so a calendar edit recomputes only the clocks it
 * touches), per-clock failure records, and persisted calendar recomputes. Existing clocks get a
 * window to 90 days past their due time (longer than any escalation ladder): wide, never too narrow;
 * the next reschedule narrows it.
 */
export class CalendarProvisional1796435852062 implements MigrationInterface {
  name = 'CalendarProvisional1796435852062';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "calendar_recompute" ("id" uuid NOT NULL, "scope" text NOT NULL, "from_at" TIMESTAMP WITH TIME ZONE, "to_at" TIMESTAMP WITH TIME ZONE, "year" integer, "after_id" uuid NOT NULL DEFAULT '00000000-0000-0000-0000-000000000000', "visited" integer NOT NULL DEFAULT '0', "moved" integer NOT NULL DEFAULT '0', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "finished_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_52a3429994e1fdc3f406039d0b0" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_calendar_recompute_open" ON "calendar_recompute"  ("created_at") WHERE finished_at IS NULL`);
    await queryRunner.query(`ALTER TABLE "sla_clock" ADD "window_end" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`UPDATE "sla_clock" SET "window_end" = "due_at" + interval '90 days'`);
    await queryRunner.query(`ALTER TABLE "sla_clock" ALTER COLUMN "window_end" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "sla_clock" ADD "provisional" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`ALTER TABLE "sla_clock" ADD "provisional_years" integer array NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`ALTER TABLE "sla_clock" ADD "fail_count" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "sla_clock" ADD "last_error" text`);
    await queryRunner.query(`ALTER TABLE "sla_clock" ADD "failed_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`CREATE INDEX "idx_sla_clock_provisional" ON "sla_clock"  ("id") WHERE provisional AND stopped_at IS NULL`);
    await queryRunner.query(`CREATE INDEX "idx_sla_clock_open_window" ON "sla_clock"  ("window_end", "started_at") WHERE stopped_at IS NULL`);
    await queryRunner.query(`CREATE INDEX "idx_sla_clock_failing" ON "sla_clock"  ("id") WHERE fail_count > 0`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "sla"."idx_sla_clock_failing"`);
    await queryRunner.query(`DROP INDEX "sla"."idx_sla_clock_open_window"`);
    await queryRunner.query(`DROP INDEX "sla"."idx_sla_clock_provisional"`);
    await queryRunner.query(`ALTER TABLE "sla_clock" DROP COLUMN "failed_at"`);
    await queryRunner.query(`ALTER TABLE "sla_clock" DROP COLUMN "last_error"`);
    await queryRunner.query(`ALTER TABLE "sla_clock" DROP COLUMN "fail_count"`);
    await queryRunner.query(`ALTER TABLE "sla_clock" DROP COLUMN "provisional_years"`);
    await queryRunner.query(`ALTER TABLE "sla_clock" DROP COLUMN "provisional"`);
    await queryRunner.query(`ALTER TABLE "sla_clock" DROP COLUMN "window_end"`);
    await queryRunner.query(`DROP INDEX "sla"."idx_calendar_recompute_open"`);
    await queryRunner.query(`DROP TABLE "calendar_recompute"`);
  }
}
