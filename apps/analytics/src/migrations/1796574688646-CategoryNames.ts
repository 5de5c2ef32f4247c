import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The names an administrator gives categories in intake's taxonomy (category.changed.v1, the latest
 * `changedAt` wins), so the rates, reports, hotspots and the wall name a category as the console
 * does. It starts empty (every category named by the catalogue, as before): analytics' new consumer
 * of the event reads the stream from its start, and `npm run analytics:replay` rebuilds it too.
 */
export class CategoryNames1796574688646 implements MigrationInterface {
  name = 'CategoryNames1796574688646';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "category_name" ("code" text NOT NULL, "name_zh" text NOT NULL, "name_en" text NOT NULL, "active" boolean NOT NULL, "changed_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_8132b893fe4ad48b9b08e6710e9" PRIMARY KEY ("code"))`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "category_name"`);
  }
}
