/**
 * The seed taxonomy is the platform's category catalogue (libs/contracts): intake seeds its maintained
 * table from it, notify names categories with it. The names intake's code has always used.
 */
export {
  CATEGORY_CATALOGUE as TAXONOMY_SEED,
  type CategoryEntry as CategorySeed,
  categoryParent as parentOf,
  categoryRoot as rootOf,
} from '@app/contracts';
