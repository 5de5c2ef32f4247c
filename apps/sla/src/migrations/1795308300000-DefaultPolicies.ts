import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Default time-limit policies from the domain brief. They are rows, not constants: a city edits them
 * (by adding a higher version) to match its own regulation.
 *   ordinary:  respond within 24 hours, reply within 5 working days (Shandong/Jinan/Weifang rules)
 *   inquiry / help: reply within 3 working days (a Beijing bureau's rule)
 *   urgent:    respond within 2 hours, reply within 24 hours (Beijing practice for emergencies)
 *   long-term: respond within 24 hours, progress reply within 15 working days
 *   双交办 (repeat / concentrated): respond within 12 hours, reply within 3 working days
 */
export class DefaultPolicies1795308300000 implements MigrationInterface {
  name = 'DefaultPolicies1795308300000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      INSERT INTO "sla"."sla_policy"
        (id, name, version, district_code, request_type, category_prefix, urgency, flag,
         respond_value, respond_unit, finish_value, finish_unit, warn_percent, priority)
      VALUES
        ('6b0f2a8e-0d3c-4c1e-9a51-000000000001', 'default: 24 h / 5 working days', 1, NULL, NULL, NULL, NULL, NULL, 24, 'hours', 5, 'working_days', 75, 0),
        ('6b0f2a8e-0d3c-4c1e-9a51-000000000002', 'inquiry: 24 h / 3 working days', 1, NULL, 'inquiry', NULL, NULL, NULL, 24, 'hours', 3, 'working_days', 75, 5),
        ('6b0f2a8e-0d3c-4c1e-9a51-000000000003', 'help: 24 h / 3 working days', 1, NULL, 'help', NULL, NULL, NULL, 24, 'hours', 3, 'working_days', 75, 5),
        ('6b0f2a8e-0d3c-4c1e-9a51-000000000004', 'long-term: 24 h / 15 working days', 1, NULL, NULL, NULL, 'long_term', NULL, 24, 'hours', 15, 'working_days', 75, 8),
        ('6b0f2a8e-0d3c-4c1e-9a51-000000000005', 'urgent: 2 h / 24 h', 1, NULL, NULL, NULL, 'urgent', NULL, 2, 'hours', 24, 'hours', 75, 10),
        ('6b0f2a8e-0d3c-4c1e-9a51-000000000006', '双交办 repeat: 12 h / 3 working days', 1, NULL, NULL, NULL, NULL, 'repeat', 12, 'hours', 3, 'working_days', 75, 20),
        ('6b0f2a8e-0d3c-4c1e-9a51-000000000007', '双交办 concentrated: 12 h / 3 working days', 1, NULL, NULL, NULL, NULL, 'concentrated', 12, 'hours', 3, 'working_days', 75, 20)
      ON CONFLICT (id) DO NOTHING`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "sla"."sla_policy" WHERE id::text LIKE '6b0f2a8e-0d3c-4c1e-9a51-00000000000_'`);
  }
}
