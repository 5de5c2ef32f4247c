import { MigrationInterface, QueryRunner } from 'typeorm';

/** Staff accounts get a work e-mail for notifications, encrypted like the mobile, with a masked copy. */
export class AccountEmail1796460000000 implements MigrationInterface {
  name = 'AccountEmail1796460000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "staff_account" ADD "email_enc" text`);
    await queryRunner.query(`ALTER TABLE "staff_account" ADD "email_masked" text`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "staff_account" DROP COLUMN "email_masked"`);
    await queryRunner.query(`ALTER TABLE "staff_account" DROP COLUMN "email_enc"`);
  }
}
