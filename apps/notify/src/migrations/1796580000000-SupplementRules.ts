import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 补充诉求: the unit handling an order hears when the citizen adds to it (ticket.supplemented.v1):
 * its handlers in the inbox and by SMS, its head in the inbox. The message says that the citizen
 * added something, never what (the words are on the order's page). An administrator may deactivate
 * or add rules as for every kind.
 */
export class SupplementRules1796580000000 implements MigrationInterface {
  name = 'SupplementRules1796580000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`INSERT INTO "notify"."notify_rule" ("id", "kind", "roles", "audience", "channels") VALUES
        (gen_random_uuid(), 'supplemented', '{handler}', 'unit', '{inbox,sms}'),
        (gen_random_uuid(), 'supplemented', '{unit_head}', 'unit', '{inbox}')`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "notify"."notify_rule" WHERE "kind" = 'supplemented'`);
  }
}
