import { redactPublicText } from './public-text';

describe('redactPublicText', () => {
  it.each([
    ['已联系刘小梅女士（13997005555），胜利路12号3单元楼下', '已联系市民（[已隐去]），胜利路[已隐去]楼下'],
    ['身份证630102199001011234，电话0971-6123456', '身份证[已隐去]，电话[已隐去]'],
    ['住户王大爷表示满意，5号楼2单元501室已修复', '住户市民表示满意，[已隐去]已修复'],
    // kept: places, times, units, people named by their job
    ['城管师傅和维修师傅12月3日到胜利路街道', '城管师傅和维修师傅12月3日到胜利路街道'],
    ['已督促物业3天内整改', '已督促物业3天内整改'],
  ])('%s', (text, expected) => expect(redactPublicText(text)).toBe(expected));
});
