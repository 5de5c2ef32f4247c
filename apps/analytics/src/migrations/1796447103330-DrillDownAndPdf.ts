import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The drill-down to orders shows why a citizen was unsatisfied: the callback's comment joins its
 * fact (rows recorded before this migration have none until `npm run analytics:replay`). Reports keep
 * their document, so the PDF is drawn from the same data as the page and the spreadsheet (reports
 * generated before this migration have no PDF until they are generated again).
 */
export class DrillDownAndPdf1796447103330 implements MigrationInterface {
  name = 'DrillDownAndPdf1796447103330';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "analytics"."callback_fact" ADD "comment" text`);
    await queryRunner.query(`ALTER TABLE "analytics"."report" ADD "document" jsonb`);
    await queryRunner.query(`CREATE INDEX "idx_callback_fact_unit_completed" ON "analytics"."callback_fact" ("unit_id", "completed_at")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "analytics"."idx_callback_fact_unit_completed"`);
    await queryRunner.query(`ALTER TABLE "analytics"."report" DROP COLUMN "document"`);
    await queryRunner.query(`ALTER TABLE "analytics"."callback_fact" DROP COLUMN "comment"`);
  }
}
