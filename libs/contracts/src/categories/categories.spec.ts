import {
  CATEGORY_CATALOGUE,
  catalogueCategory,
  categoryCovers,
  categoryLineage,
  categoryName,
  categoryParent,
  categoryRoot,
} from './categories';

describe('the category catalogue', () => {
  it('has unique codes, each under a parent it also lists, with a Chinese and an English name', () => {
    const codes = CATEGORY_CATALOGUE.map((c) => c.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const c of CATEGORY_CATALOGUE) {
      expect(c.code).toMatch(/^[a-z_]+(\.[a-z_]+)*$/);
      const parent = categoryParent(c.code);
      if (parent) expect(codes).toContain(parent);
      expect(c.zh).toMatch(/\p{Script=Han}/u);
      expect(c.en).toMatch(/^[A-Z]/);
    }
  });

  it('finds a code, or its nearest catalogued ancestor', () => {
    expect(catalogueCategory('heating.fee.refund')?.zh).toBe('供热费退费');
    expect(catalogueCategory('heating.fee.other')?.zh).toBe('供热收费');
    expect(catalogueCategory('nothing')).toBeUndefined();
    expect(catalogueCategory(null)).toBeUndefined();
    expect(categoryRoot('heating.fee.refund')).toBe('heating');
  });

  it("names a category by the administrator's name before the catalogue's, level by level", () => {
    const maintained = new Map([
      ['heating.fee', { zh: '供热费用', en: 'Heating charges' }], // a seeded code renamed
      ['lift.noise', { zh: '电梯噪声', en: 'Lift noise' }], // a code added under a seeded one
    ]);
    expect(categoryLineage('heating.fee.refund')).toEqual(['heating.fee.refund', 'heating.fee', 'heating']);
    expect(categoryLineage(null)).toEqual([]);
    // A rule's prefix covers the code and those below it, not a code that only begins with its letters.
    expect([categoryCovers('env', 'env'), categoryCovers('env', 'env.noise'), categoryCovers('env', 'envoy')]).toEqual([true, true, false]);
    // its own catalogue entry is nearer than the renamed parent
    expect(categoryName('heating.fee.refund', maintained)?.zh).toBe('供热费退费');
    expect(categoryName('heating.fee', maintained)).toEqual({ zh: '供热费用', en: 'Heating charges' });
    // an unlisted child of the renamed code takes the new name, not the catalogue's 供热收费
    expect(categoryName('heating.fee.other', maintained)?.zh).toBe('供热费用');
    expect(categoryName('lift.noise', maintained)?.en).toBe('Lift noise');
    expect(categoryName('lift.noise', new Map())?.zh).toBe(catalogueCategory('lift')?.zh);
    expect(categoryName('nothing', maintained)).toBeUndefined();
  });
});
