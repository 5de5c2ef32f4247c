import { MigrationInterface, QueryRunner } from 'typeorm';

export class ProactiveTicket1795317672909 implements MigrationInterface {
  name = 'ProactiveTicket1795317672909';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "callback_ticket" ADD "proactive" boolean NOT NULL DEFAULT false`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "callback_ticket" DROP COLUMN "proactive"`);
  }
}
