import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The kind of a failed send (`SendFailureReason`), kept beside notify's technical reading of it, so
 * the delivery log can say in the administrator's language why a message did not go out. Rows from
 * before keep a null reason; the console shows their technical text alone.
 */
export class DeliveryReasons1796600000000 implements MigrationInterface {
  name = 'DeliveryReasons1796600000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "notify"."message_delivery" ADD "last_reason" text`);
    await queryRunner.query(`ALTER TABLE "notify"."send_attempt" ADD "reason" text`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "notify"."send_attempt" DROP COLUMN "reason"`);
    await queryRunner.query(`ALTER TABLE "notify"."message_delivery" DROP COLUMN "last_reason"`);
  }
}
