import { CITY, DISTRICTS, nodeOrganisation, xiningOrganisation } from './xining.seed';

const districtsOf = (rows: { districtCode: string }[]) => [...new Set(rows.map((r) => r.districtCode))].sort();

describe('the demo organisation a node holds', () => {
  it("the city's node (no districts) holds all of it", () => {
    const all = xiningOrganisation();
    const held = nodeOrganisation([]);
    expect(held.units).toHaveLength(all.units.length);
    expect(held.rules).toHaveLength(all.rules.length);
    expect(districtsOf(held.units)).toEqual([CITY.code, ...DISTRICTS.map((d) => d.code)].sort());
  });

  it.each(['630104', '630105'])('a node for %s holds that district and the city tier, and nothing else', (d) => {
    const { units, rules } = nodeOrganisation([d]);
    expect(districtsOf(units)).toEqual([CITY.code, d]);
    expect(districtsOf(rules)).toEqual([d]);
    expect(units.filter((u) => u.districtCode === CITY.code).map((u) => u.kind)).toEqual([
      'city_centre',
      'utility',
      'utility',
      'utility',
      'utility',
    ]);
    for (const kind of ['district_centre', 'department', 'resident_desk', 'street', 'township', 'community']) {
      expect(units.some((u) => u.districtCode === d && u.kind === kind)).toBe(true);
    }
  });

  it.each([['630104'], ['630121'], ['630104', '630105']])(
    'every rule and every parent of a node for %s points at a unit it holds',
    (...ds) => {
      const { units, rules } = nodeOrganisation(ds);
      const ids = new Set(units.map((u) => u.id));
      expect(rules.filter((r) => !ids.has(r.unitId))).toEqual([]);
      expect(units.filter((u) => u.parentId && !ids.has(u.parentId))).toEqual([]);
      // The city tier is there because the districts' rules send heating, water, gas and power to it.
      const cityIds = new Set(units.filter((u) => u.districtCode === CITY.code).map((u) => u.id));
      expect(rules.some((r) => cityIds.has(r.unitId))).toBe(true);
    },
  );

  it('refuses a code that is not a district of the demo organisation', () => {
    expect(() => nodeOrganisation(['630104', '630140'])).toThrow(/SERVE_DISTRICTS: 630140 is not a district of the demo organisation/);
  });
});
