import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 双交办 after dispatch: what sla keeps of an order beyond its clocks (SlaOrder). The flags merges
 * brought, so a dispatch that left before dispatch applied a merge still gets the flagged policy and
 * its supervision item; the facts the order's policy is chosen by, so a merge after the dispatch can
 * choose it again. Orders dispatched before this migration have no row: their facts are unknown, and
 * a merge into them leaves their clocks as they are (it still puts them on the supervision list).
 */
export class OrderFlags1796640000000 implements MigrationInterface {
  name = 'OrderFlags1796640000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "sla_order" ("ticket_id" uuid NOT NULL, "flags" text array NOT NULL DEFAULT '{}', "request_type" text, "category_code" text, "urgency" text, CONSTRAINT "PK_f6e64ed67f1d47430fe560d3dd1" PRIMARY KEY ("ticket_id"))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "sla_order"`);
  }
}
