/**
 * The category roots (诉求分类) a policy may name, the same taxonomy intake classifies with and the
 * routing table routes on. A policy's `categoryPrefix` is a root or a dotted sub-category of one
 * (`lift`, `lift.trapped`). The taxonomy belongs in @app/contracts once a second service needs it.
 */
export const CATEGORY_ROOTS: readonly string[] = [
  'lift',
  'consumer_rights',
  'food_safety',
  'wage_arrears',
  'social_security',
  'education',
  'health',
  'pollution',
  'cooking_fumes',
  'tourism',
  'construction',
  'drainage',
  'street_vendor',
  'street_light',
  'road',
  'tree',
  'garbage',
  'heating',
  'water',
  'gas',
  'power',
  'noise',
  'property',
  'parking',
  'neighbourhood',
  'traffic',
  'housing',
  'fire_safety',
  'animal',
  'other',
];

export function isKnownCategory(code: string): boolean {
  return CATEGORY_ROOTS.includes(code.split('.')[0]);
}
