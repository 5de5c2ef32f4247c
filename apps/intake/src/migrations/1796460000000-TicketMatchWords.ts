import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The duplicate check's words stored with the order (`match_words`, cut at write time) and a GIN
 * index that finds the orders sharing a word. Older orders keep NULL: the check cuts those few
 * itself (they leave the 30-day window soon), with the segmenter as it is then.
 */
export class TicketMatchWords1796460000000 implements MigrationInterface {
  name = 'TicketMatchWords1796460000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "intake"."ticket" ADD "match_words" text array`);
    await queryRunner.query(`CREATE INDEX "idx_ticket_match_words" ON "intake"."ticket" USING GIN ("match_words")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "intake"."idx_ticket_match_words"`);
    await queryRunner.query(`ALTER TABLE "intake"."ticket" DROP COLUMN "match_words"`);
  }
}
