import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The bus's own tables, as in the five services (their BusDeliveryAttempts1796436285313): handler
 * failures and early-event waits counted in `delivery_attempt`, and dead letters kept as raw bytes,
 * found again by (consumer, stream_seq). Existing dead letters are converted, not dropped.
 */
export class BusDeliveryAttempts1796442461009 implements MigrationInterface {
  name = 'BusDeliveryAttempts1796442461009';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "delivery_attempt" ("consumer" text NOT NULL, "event_id" uuid NOT NULL, "handler_failures" integer NOT NULL DEFAULT '0', "waiting_since" TIMESTAMP WITH TIME ZONE, "last_error" text, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_67990c764abd31636f8995506ff" PRIMARY KEY ("consumer", "event_id"))`,
    );
    await queryRunner.query(`ALTER TABLE "dead_letter" ALTER COLUMN "payload" TYPE bytea USING convert_to("payload", 'UTF8')`);
    await queryRunner.query(`CREATE INDEX "idx_dead_letter_message" ON "dead_letter" ("consumer", "stream_seq") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "idx_dead_letter_message"`);
    await queryRunner.query(`ALTER TABLE "dead_letter" ALTER COLUMN "payload" TYPE text USING encode("payload", 'escape')`);
    await queryRunner.query(`DROP TABLE "delivery_attempt"`);
  }
}
