import { fieldOfHeading, validateRow } from './import-rows';

describe('import row validation', () => {
  it('maps Chinese and English headings', () => {
    expect(fieldOfHeading('登录名')).toBe('loginName');
    expect(fieldOfHeading(' Login Name ')).toBe('loginName');
    expect(fieldOfHeading('角色')).toBe('roles');
    expect(fieldOfHeading('电子邮箱')).toBe('email');
    expect(fieldOfHeading('E-mail')).toBe('email');
    expect(fieldOfHeading('Email')).toBe('email');
    expect(fieldOfHeading('备注')).toBeNull();
  });

  it('accepts a good row and splits lists on Chinese and Latin separators', () => {
    const r = validateRow({
      loginName: 'li.si',
      displayName: '李四',
      mobile: '13912345678',
      email: 'li.si@chengxi.gov.cn',
      roles: 'handler、unit_head',
      districts: '630104，630105',
    });
    expect(r.errors).toEqual([]);
    expect(r.dto).toMatchObject({
      loginName: 'li.si',
      email: 'li.si@chengxi.gov.cn',
      roles: ['handler', 'unit_head'],
      districts: ['630104', '630105'],
    });
  });

  it('names every bad field of a row', () => {
    const r = validateRow({ loginName: 'Bad Name', displayName: '', mobile: '12345', email: 'li.si@', roles: 'emperor', districts: '63' });
    expect(r.dto).toBeUndefined();
    expect([...new Set(r.errors.map((e) => e.field))].sort()).toEqual(
      ['displayName', 'districts', 'email', 'loginName', 'mobile', 'roles'].sort(),
    );
  });

  it('requires a role and a district', () => {
    const r = validateRow({ loginName: 'wang.wu', displayName: '王五' });
    expect(r.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'roles' }), expect.objectContaining({ field: 'districts' })]),
    );
  });
});
