import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 到期回访 becomes a policy row per district (it was CALLBACK_EXPIRY_DISTRICTS), changed by a
 * city-scope administrator over the API, every change logged. No district asks for it until set.
 */
export class ExpiryPolicies1796460000200 implements MigrationInterface {
  name = 'ExpiryPolicies1796460000200';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "expiry_policy" ("district_code" text NOT NULL, "enabled" boolean NOT NULL, "updated_by" text NOT NULL, "updated_by_name" text, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_expiry_policy" PRIMARY KEY ("district_code"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "expiry_policy_change" ("id" uuid NOT NULL, "district_code" text NOT NULL, "enabled_before" boolean, "enabled_after" boolean NOT NULL, "changed_by" text NOT NULL, "changed_by_name" text, "note" text, "at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_expiry_policy_change" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "idx_expiry_policy_change_district" ON "expiry_policy_change" ("district_code", "at") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "idx_expiry_policy_change_district"`);
    await queryRunner.query(`DROP TABLE "expiry_policy_change"`);
    await queryRunner.query(`DROP TABLE "expiry_policy"`);
  }
}
