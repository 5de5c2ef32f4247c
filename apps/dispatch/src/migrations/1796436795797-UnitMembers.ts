import { MigrationInterface, QueryRunner } from 'typeorm';

export class UnitMembers1796436795797 implements MigrationInterface {
  name = 'UnitMembers1796436795797';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "unit_member" ("person_id" text NOT NULL, "login_name" text NOT NULL, "display_name" text NOT NULL, "unit_id" uuid, "roles" text array NOT NULL, "districts" text array NOT NULL, "active" boolean NOT NULL, "revision" bigint NOT NULL, "changed_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_4fdf030986387bb4a87b046c79d" PRIMARY KEY ("person_id"))`);
    await queryRunner.query(`CREATE INDEX "idx_unit_member_unit" ON "unit_member"  ("unit_id") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "dispatch"."idx_unit_member_unit"`);
    await queryRunner.query(`DROP TABLE "unit_member"`);
  }
}
