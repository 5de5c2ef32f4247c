import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 督办: the unit whose order is put on the supervision list (sla.supervision-opened.v1) hears why and
 * at which level: its handlers in the inbox and by SMS, its head in the inbox. When a supervisor
 * closes the item (销号, sla.supervision-closed.v1) the same people read it in the inbox; nothing is
 * asked of them, so no SMS. The district leader is on neither: the list is the supervisors' work,
 * and an overdue item that climbs the ladder already reaches the leader as `escalated`. An
 * administrator may deactivate or add rules as for every kind.
 */
export class SupervisionRules1796590000000 implements MigrationInterface {
  name = 'SupervisionRules1796590000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`INSERT INTO "notify"."notify_rule" ("id", "kind", "roles", "audience", "channels") VALUES
        (gen_random_uuid(), 'supervised', '{handler}', 'unit', '{inbox,sms}'),
        (gen_random_uuid(), 'supervised', '{unit_head}', 'unit', '{inbox}'),
        (gen_random_uuid(), 'supervision_closed', '{handler}', 'unit', '{inbox}'),
        (gen_random_uuid(), 'supervision_closed', '{unit_head}', 'unit', '{inbox}')`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "notify"."notify_rule" WHERE "kind" IN ('supervised', 'supervision_closed')`);
  }
}
