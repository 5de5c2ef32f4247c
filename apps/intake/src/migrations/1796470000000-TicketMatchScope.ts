import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The duplicate check's scan by scope: the district's orders of one category root, newest first
 * (duplicates.repository.ts `openSimilar`). It replaces the GIN index on `match_words`, which the
 * check no longer uses (nearly every open order of a district shares a common word with a new one,
 * so the planner scanned the district instead) and which every new order paid for.
 */
export class TicketMatchScope1796470000000 implements MigrationInterface {
  name = 'TicketMatchScope1796470000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "idx_ticket_match_scope" ON "intake"."ticket" ("district_code", split_part("category_code", '.', 1), "accepted_at")`,
    );
    await queryRunner.query(`DROP INDEX "intake"."idx_ticket_match_words"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "idx_ticket_match_words" ON "intake"."ticket" USING GIN ("match_words")`);
    await queryRunner.query(`DROP INDEX "intake"."idx_ticket_match_scope"`);
  }
}
