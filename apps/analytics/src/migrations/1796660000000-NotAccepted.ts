import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 不予受理 in the read model (ticket.not-accepted.v1): the refused contact's fact row says when and
 * why, and the daily rollup counts it (`not_accepted`; by reason in the `not_accepted_reason`
 * dimension, which needs no column). Refusals intake stored before it published the event are in no
 * stream, so a replay does not bring them back either.
 */
export class NotAccepted1796660000000 implements MigrationInterface {
  name = 'NotAccepted1796660000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "ticket_fact" ADD "not_accepted_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "ticket_fact" ADD "not_accepted_reason" text`);
    await queryRunner.query(`ALTER TABLE "rate_daily" ADD "not_accepted" integer NOT NULL DEFAULT '0'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "rate_daily" DROP COLUMN "not_accepted"`);
    await queryRunner.query(`ALTER TABLE "ticket_fact" DROP COLUMN "not_accepted_reason"`);
    await queryRunner.query(`ALTER TABLE "ticket_fact" DROP COLUMN "not_accepted_at"`);
  }
}
