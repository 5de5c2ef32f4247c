import { MigrationInterface, QueryRunner } from 'typeorm';

/** The public rate limit's counts, shared by the service's replicas (libs/platform PgThrottlerStorage). */
export class PublicThrottle1796630000000 implements MigrationInterface {
  name = 'PublicThrottle1796630000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "public_throttle" ("key" text NOT NULL, "window_start" TIMESTAMP WITH TIME ZONE NOT NULL, "hits" integer NOT NULL, CONSTRAINT "PK_523d2c4cbec4392254a167ab1cf" PRIMARY KEY ("key"))`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "public_throttle"`);
  }
}
