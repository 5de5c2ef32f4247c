import { CATEGORY_CATALOGUE, catalogueCategory, categoryParent, categoryRoot } from './categories';

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
});
