import 'reflect-metadata';
import { CITY_PLACES, PlaceIndex } from '@app/contracts';
import { LocationResolver } from './location-resolver';

describe('LocationResolver', () => {
  const r = new LocationResolver();

  it.each([
    ['西宁市城西区胜利路12号3号楼', undefined, '630104', '630104004', null],
    ['城东区八一路5号', undefined, '630102', '630102006', null],
    ['大通县桥头镇八一路茶餐厅', undefined, '630121', '630121100', null],
    ['湟中区塔尔寺停车场', undefined, '630106', '630106100', null],
    ['城北区某小区', undefined, '630105', null, null],
    ['胜利路88号', '630104', '630104', '630104004', null],
    ['通海路工地', '630104', '630104', '630104007', null],
    // A community named in the text: in the street found, or placing the street when none is named.
    ['西宁市城西区胜利路街道胜利路社区5号楼', undefined, '630104', '630104004', '630104004001'],
    ['胜利路社区3号楼', undefined, '630104', '630104004', '630104004001'],
    // A keyword that lies in exactly one community places it, its street and its district.
    ['东交通巷12号3号楼', undefined, '630104', '630104004', '630104004002'],
    ['城西区东交通巷12号', '630104', '630104', '630104004', '630104004002'],
    ['城北区祁连路88号', undefined, '630105', '630105001', '630105001003'],
    ['彭家寨镇火西村村委会', undefined, '630104', '630104100', '630104100202'],
  ])('places %s', (address, given, district, streetCode, communityCode) => {
    const got = r.resolve(address, given);
    expect(got).toEqual({ districtCode: district, streetCode, communityCode });
  });

  it('keeps a community only when it lies in the street the text names', () => {
    // 东交通巷 lies in 胜利路街道, the text names 通海路: the street stands, the community is dropped.
    expect(r.resolve('城西区通海路东交通巷口')).toEqual({ districtCode: '630104', streetCode: '630104007', communityCode: null });
  });

  it('does not look for a community outside the district given', () => {
    expect(r.resolve('东交通巷12号', '630105')).toEqual({ districtCode: '630105', streetCode: null, communityCode: null });
  });

  it('keeps the district given when nothing else is found', () => {
    expect(r.resolve('某小区3号楼', '630103')).toEqual({ districtCode: '630103', streetCode: null, communityCode: null });
  });

  it('resolves nothing when the text names no place or two districts', () => {
    expect(r.resolve('我家楼下')).toEqual({ districtCode: null, streetCode: null, communityCode: null });
    expect(r.resolve('从城东区到城西区的公交')).toEqual({ districtCode: null, streetCode: null, communityCode: null });
  });
});

describe('the place list', () => {
  const index = new PlaceIndex(CITY_PLACES);
  const communities = CITY_PLACES.flatMap((d) => d.streets.flatMap((s) => s.communities.map((c) => ({ d, s, c }))));

  it('codes nest: district 6 digits, street 9, community 12, each under its parent', () => {
    for (const d of CITY_PLACES) {
      expect(d.code).toMatch(/^\d{6}$/);
      for (const s of d.streets) expect(s.code).toMatch(new RegExp(`^${d.code}\\d{3}$`));
    }
    for (const { s, c } of communities) expect(c.code).toMatch(new RegExp(`^${s.code}\\d{3}$`));
    expect(new Set(communities.map((x) => x.c.code)).size).toBe(communities.length);
  });

  it('every urban street of Chengxi and Chengbei has at least two communities', () => {
    for (const d of CITY_PLACES.filter((x) => ['630104', '630105'].includes(x.code)))
      for (const s of d.streets.filter((x) => x.kind === 'street')) expect(s.communities.length).toBeGreaterThanOrEqual(2);
  });

  it('no community keyword lies in two communities (a keyword places exactly one)', () => {
    const seen = new Map<string, string>();
    for (const { c } of communities)
      for (const k of [c.nameZh, ...c.aliases]) {
        expect(seen.get(k) ?? c.code).toBe(c.code);
        seen.set(k, c.code);
      }
  });

  it('finds a community with its street and district by code', () => {
    const got = index.community('630104004001');
    expect([got?.district.nameZh, got?.street.nameZh, got?.community.nameZh]).toEqual(['城西区', '胜利路街道', '胜利路社区']);
    expect(index.community('630104004-c01')).toBeUndefined();
  });
});
