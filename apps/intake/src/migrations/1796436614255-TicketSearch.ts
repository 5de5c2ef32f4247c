import { MigrationInterface, QueryRunner } from 'typeorm';

export class TicketSearch1796436614255 implements MigrationInterface {
  name = 'TicketSearch1796436614255';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "idx_ticket_accepted" ON "ticket"  ("accepted_at") `);
    // Not expressible as an entity index: words of the content (工单查询), ILIKE served by trigrams.
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public`);
    await queryRunner.query(`CREATE INDEX "idx_ticket_content_trgm" ON "ticket" USING GIN ("content" public.gin_trgm_ops)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "intake"."idx_ticket_content_trgm"`);
    await queryRunner.query(`DROP INDEX "intake"."idx_ticket_accepted"`);
  }
}
