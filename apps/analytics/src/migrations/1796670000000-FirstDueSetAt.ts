import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The first cycle's due times follow their latest setting (an extension, a calendar edit, or a merge
 * that made the order 双交办 and brought them forward), not the first or the largest value seen. Rows
 * of before have no setting time: the next announcement of the cycle replaces their due time.
 */
export class FirstDueSetAt1796670000000 implements MigrationInterface {
  name = 'FirstDueSetAt1796670000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "analytics"."ticket_fact" ADD "respond_due_set_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "analytics"."ticket_fact" ADD "first_finish_due_set_at" TIMESTAMP WITH TIME ZONE`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "analytics"."ticket_fact" DROP COLUMN "first_finish_due_set_at"`);
    await queryRunner.query(`ALTER TABLE "analytics"."ticket_fact" DROP COLUMN "respond_due_set_at"`);
  }
}
