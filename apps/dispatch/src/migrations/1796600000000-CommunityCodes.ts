import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A community unit's code is its twelve-digit community code (GB/T 2260 district 6 + township 3 +
 * community 3), as a street unit's code is its street code. The demo seed used to give the three
 * communities it knew codes like `630104004-c01`; they are renamed in place. Their ids stay: an id is
 * the unit's identity once created (orders, members, routing rules, accounts and the other services'
 * copies point at it), and the seed gives these three the id of their first code, so a database
 * seeded before and one seeded after hold the same rows. A row is left alone when a unit with the new
 * code already exists (an administrator created it by hand): operations.md says what to do then.
 */
const RENAMED: [from: string, to: string][] = [
  ['630104004-c01', '630104004001'],
  ['630104004-c02', '630104004002'],
  ['630105001-c01', '630105001001'],
];

export class CommunityCodes1796600000000 implements MigrationInterface {
  name = 'CommunityCodes1796600000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const [from, to] of RENAMED) {
      await queryRunner.query(
        `UPDATE "org_unit" SET "code" = $2 WHERE "code" = $1 AND "kind" = 'community'
           AND NOT EXISTS (SELECT 1 FROM "org_unit" WHERE "code" = $2)`,
        [from, to],
      );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const [from, to] of RENAMED) {
      await queryRunner.query(
        `UPDATE "org_unit" SET "code" = $1 WHERE "code" = $2 AND "kind" = 'community'
           AND NOT EXISTS (SELECT 1 FROM "org_unit" WHERE "code" = $1)`,
        [from, to],
      );
    }
  }
}
