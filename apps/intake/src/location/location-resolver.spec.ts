import { LocationResolver } from './location-resolver';

describe('LocationResolver', () => {
  const r = new LocationResolver();

  it.each([
    ['西宁市城西区胜利路12号3号楼', undefined, '630104', '630104004'],
    ['城东区八一路5号', undefined, '630102', '630102006'],
    ['大通县桥头镇八一路茶餐厅', undefined, '630121', '630121100'],
    ['湟中区塔尔寺停车场', undefined, '630106', '630106100'],
    ['城北区某小区', undefined, '630105', null],
    ['胜利路88号', '630104', '630104', '630104004'],
    ['通海路工地', '630104', '630104', '630104007'],
  ])('places %s', (address, given, district, streetCode) => {
    const got = r.resolve(address, given);
    expect(got.districtCode).toBe(district);
    expect(got.streetCode).toBe(streetCode);
  });

  it('keeps the district given when nothing else is found', () => {
    expect(r.resolve('某小区3号楼', '630103')).toEqual({ districtCode: '630103', streetCode: null });
  });

  it('resolves nothing when the text names no place or two districts', () => {
    expect(r.resolve('我家楼下')).toEqual({ districtCode: null, streetCode: null });
    expect(r.resolve('从城东区到城西区的公交')).toEqual({ districtCode: null, streetCode: null });
  });
});
