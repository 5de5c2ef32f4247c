import { MigrationInterface, QueryRunner } from 'typeorm';

export class RollupsWallHotspotsReports1795311415132 implements MigrationInterface {
  name = 'RollupsWallHotspotsReports1795311415132';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "rate_daily" ("dimension" text NOT NULL, "day" date NOT NULL, "district_code" text NOT NULL, "dim_key" text NOT NULL, "accepted" integer NOT NULL DEFAULT '0', "answered" integer NOT NULL DEFAULT '0', "merged" integer NOT NULL DEFAULT '0', "dispatched" integer NOT NULL DEFAULT '0', "responded_on_time" integer NOT NULL DEFAULT '0', "replied" integer NOT NULL DEFAULT '0', "replied_on_time" integer NOT NULL DEFAULT '0', "reworked" integer NOT NULL DEFAULT '0', "closed" integer NOT NULL DEFAULT '0', "callbacks" integer NOT NULL DEFAULT '0', "callbacks_failed" integer NOT NULL DEFAULT '0', "resolved" integer NOT NULL DEFAULT '0', "satisfied" integer NOT NULL DEFAULT '0', "basically_satisfied" integer NOT NULL DEFAULT '0', CONSTRAINT "PK_fa97aadc26bc0d60c8bb7a36d96" PRIMARY KEY ("dimension", "day", "district_code", "dim_key"))`);
    await queryRunner.query(`CREATE TABLE "unit_name" ("unit_id" uuid NOT NULL, "district_code" text NOT NULL, "name" text NOT NULL, "seen_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_b8e30ab9793bc765c35911001d2" PRIMARY KEY ("unit_id"))`);
    await queryRunner.query(`CREATE TABLE "hotspot" ("id" uuid NOT NULL, "category_code" text NOT NULL, "district_code" text NOT NULL, "street_code" text, "cell_key" text NOT NULL, "center_lat" double precision NOT NULL, "center_lng" double precision NOT NULL, "radius_m" integer NOT NULL, "window_start" TIMESTAMP WITH TIME ZONE NOT NULL, "window_end" TIMESTAMP WITH TIME ZONE NOT NULL, "ticket_count" integer NOT NULL, "previous_count" integer NOT NULL, "rising" boolean NOT NULL, "seasonal_years" integer NOT NULL, "status" text NOT NULL, "detected_at" TIMESTAMP WITH TIME ZONE NOT NULL, "decided_by" text, "decided_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_70ca951846df4be315c7a42e1fe" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_hotspot_status" ON "hotspot"  ("status", "detected_at") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_hotspot_cell_window" ON "hotspot"  ("category_code", "cell_key", "window_start", "window_end") `);
    await queryRunner.query(`CREATE TABLE "report" ("id" uuid NOT NULL, "kind" text NOT NULL, "period_from" date NOT NULL, "period_to" date NOT NULL, "district_code" text NOT NULL, "title" text NOT NULL, "html" text NOT NULL, "xlsx" bytea NOT NULL, "generated_at" TIMESTAMP WITH TIME ZONE NOT NULL, "generated_by" text NOT NULL, CONSTRAINT "PK_99e4d0bea58cba73c57f935a546" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_report_generated" ON "report"  ("generated_at") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_report_period" ON "report"  ("kind", "period_from", "district_code") `);
    await queryRunner.query(`ALTER TABLE "ticket_fact" ADD "unit_name" text`);
    await queryRunner.query(`ALTER TABLE "ticket_fact" ADD "street_code" text`);
    await queryRunner.query(`ALTER TABLE "ticket_fact" ADD "community_code" text`);
    await queryRunner.query(`ALTER TABLE "ticket_fact" ADD "lat" double precision`);
    await queryRunner.query(`ALTER TABLE "ticket_fact" ADD "lng" double precision`);
    await queryRunner.query(`ALTER TABLE "ticket_fact" ADD "proactive" boolean`);
    await queryRunner.query(`ALTER TABLE "ticket_fact" ADD "wall_opt_out" boolean`);
    await queryRunner.query(`ALTER TABLE "ticket_fact" ADD "cycle" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "ticket_fact" ADD "reply_text" text`);
    await queryRunner.query(`ALTER TABLE "ticket_fact" ADD "reply_cycle" integer`);
    await queryRunner.query(`ALTER TABLE "ticket_fact" ADD "finish_due_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "ticket_fact" ADD "finish_due_cycle" integer`);
    await queryRunner.query(`ALTER TABLE "ticket_fact" ADD "finish_due_set_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "callback_fact" ADD "kind" text NOT NULL DEFAULT 'reply'`);
    await queryRunner.query(`CREATE INDEX "idx_ticket_fact_category_accepted" ON "ticket_fact"  ("category_code", "accepted_at") `);
    await queryRunner.query(`CREATE INDEX "idx_ticket_fact_wall" ON "ticket_fact"  ("community_code", "accepted_at") `);
    await queryRunner.query(`CREATE INDEX "idx_callback_fact_ticket" ON "callback_fact"  ("ticket_id") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "analytics"."idx_callback_fact_ticket"`);
    await queryRunner.query(`DROP INDEX "analytics"."idx_ticket_fact_wall"`);
    await queryRunner.query(`DROP INDEX "analytics"."idx_ticket_fact_category_accepted"`);
    await queryRunner.query(`ALTER TABLE "callback_fact" DROP COLUMN "kind"`);
    await queryRunner.query(`ALTER TABLE "ticket_fact" DROP COLUMN "finish_due_set_at"`);
    await queryRunner.query(`ALTER TABLE "ticket_fact" DROP COLUMN "finish_due_cycle"`);
    await queryRunner.query(`ALTER TABLE "ticket_fact" DROP COLUMN "finish_due_at"`);
    await queryRunner.query(`ALTER TABLE "ticket_fact" DROP COLUMN "reply_cycle"`);
    await queryRunner.query(`ALTER TABLE "ticket_fact" DROP COLUMN "reply_text"`);
    await queryRunner.query(`ALTER TABLE "ticket_fact" DROP COLUMN "cycle"`);
    await queryRunner.query(`ALTER TABLE "ticket_fact" DROP COLUMN "wall_opt_out"`);
    await queryRunner.query(`ALTER TABLE "ticket_fact" DROP COLUMN "proactive"`);
    await queryRunner.query(`ALTER TABLE "ticket_fact" DROP COLUMN "lng"`);
    await queryRunner.query(`ALTER TABLE "ticket_fact" DROP COLUMN "lat"`);
    await queryRunner.query(`ALTER TABLE "ticket_fact" DROP COLUMN "community_code"`);
    await queryRunner.query(`ALTER TABLE "ticket_fact" DROP COLUMN "street_code"`);
    await queryRunner.query(`ALTER TABLE "ticket_fact" DROP COLUMN "unit_name"`);
    await queryRunner.query(`DROP INDEX "analytics"."uq_report_period"`);
    await queryRunner.query(`DROP INDEX "analytics"."idx_report_generated"`);
    await queryRunner.query(`DROP TABLE "report"`);
    await queryRunner.query(`DROP INDEX "analytics"."uq_hotspot_cell_window"`);
    await queryRunner.query(`DROP INDEX "analytics"."idx_hotspot_status"`);
    await queryRunner.query(`DROP TABLE "hotspot"`);
    await queryRunner.query(`DROP TABLE "unit_name"`);
    await queryRunner.query(`DROP TABLE "rate_daily"`);
  }
}
