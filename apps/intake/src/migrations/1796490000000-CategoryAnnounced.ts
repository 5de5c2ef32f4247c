import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Whether a category's current names have been published (`category.changed.v1`), so notify and
 * analytics name it as the console does. The rows of a deployment before this change start
 * unannounced: intake publishes them once when it starts (`TaxonomyService.announcePending`).
 */
export class CategoryAnnounced1796490000000 implements MigrationInterface {
  name = 'CategoryAnnounced1796490000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "intake"."category" ADD "announced" boolean NOT NULL DEFAULT false`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "intake"."category" DROP COLUMN "announced"`);
  }
}
