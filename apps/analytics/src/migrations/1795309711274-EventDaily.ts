import { MigrationInterface, QueryRunner } from 'typeorm';

export class EventDaily1795309711274 implements MigrationInterface {
  name = 'EventDaily1795309711274';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "event_daily" ("day" date NOT NULL, "district_code" text NOT NULL, "type" text NOT NULL, "count" integer NOT NULL, CONSTRAINT "PK_acfc6adbd4c323340eecdf27088" PRIMARY KEY ("day", "district_code", "type"))`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "event_daily"`);
  }
}
