import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notify keeps no staff contact any more: the console answers the address at send time
 * (console.staff-contact.v1). The encrypted copies go, and with them their key's reach; what stays is
 * whether the person has a mobile or an e-mail. Deliveries no longer hold their address.
 */
export class NoStaffContacts1796460000100 implements MigrationInterface {
  name = 'NoStaffContacts1796460000100';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "recipient" ADD "has_mobile" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`ALTER TABLE "recipient" ADD "has_email" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`UPDATE "recipient" SET "has_mobile" = "mobile_enc" IS NOT NULL, "has_email" = "email_enc" IS NOT NULL`);
    for (const c of ['mobile_enc', 'mobile_masked', 'email_enc', 'email_masked']) {
      await queryRunner.query(`ALTER TABLE "recipient" DROP COLUMN "${c}"`);
    }
    await queryRunner.query(`ALTER TABLE "message_delivery" DROP COLUMN "target_enc"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "message_delivery" ADD "target_enc" text`);
    for (const c of ['mobile_enc', 'mobile_masked', 'email_enc', 'email_masked']) {
      await queryRunner.query(`ALTER TABLE "recipient" ADD "${c}" text`);
    }
    await queryRunner.query(`ALTER TABLE "recipient" DROP COLUMN "has_email"`);
    await queryRunner.query(`ALTER TABLE "recipient" DROP COLUMN "has_mobile"`);
  }
}
