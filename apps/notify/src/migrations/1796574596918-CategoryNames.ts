import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The names an administrator gives categories in intake's taxonomy (category.changed.v1), so messages
 * name an order's category as the console does; the latest `changedAt` wins.
 */
export class CategoryNames1796574596918 implements MigrationInterface {
  name = 'CategoryNames1796574596918';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "category_name" ("code" text NOT NULL, "name_zh" text NOT NULL, "name_en" text NOT NULL, "active" boolean NOT NULL, "changed_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_8132b893fe4ad48b9b08e6710e9" PRIMARY KEY ("code"))`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "category_name"`);
  }
}
