import { FormTokens } from './form-token';
import { html, raw } from './html';
import { translator } from './i18n';
import { reportPage, spellToken, wallPage } from './pages';
import { checkReport, readReport, sniffPhoto, toPublicRequest } from './report-form';

const t = translator('zh-CN');
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

describe('citizen pages', () => {
  it('escapes every value unless it is markup built by the page', () => {
    const evil = '<script>alert(1)</script>"\'&';
    expect(html`<p title="${evil}">${evil}</p>`.value).toBe(
      '<p title="&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;">&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;</p>',
    );
    expect(html`${raw('<b>')}${[html`<i>${'<'}</i>`]}`.value).toBe('<b><i>&lt;</i>');
  });

  it('renders what the citizen typed and what a service sent escaped', () => {
    const input = readReport({ content: '</textarea><script>x()</script>', address: '"><img src=x>', name: 'n', phone: '13800000000' });
    const page = reportPage(t, 'zh-CN', { formToken: 'f', categories: [], input, maxPhotoMb: 8 }).value;
    expect(page).not.toContain('<script>x()');
    expect(page).not.toContain('"><img');
    const wall = wallPage(t, 'zh-CN', {
      places: [{ code: '630104', name: '城西区', streets: [] }],
      district: '630104',
      streetNames: new Map(),
      wall: {
        page: 1,
        pageSize: 10,
        total: 1,
        items: [
          {
            orderNo: '20261205-000001',
            acceptedOn: '2026-12-05',
            districtCode: '630104',
            streetCode: null,
            communityCode: null,
            requestType: null,
            category: '<b>x</b>',
            categoryCode: 'noise',
            status: 'replied',
            statusLabel: '已答复',
            unitName: null,
            deadline: null,
            reply: '<img src=x onerror=alert(1)>',
          },
        ],
      },
    }).value;
    expect(wall).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(wall).not.toContain('<b>x</b>');
  });

  it('checks the form: fields, a phone number, a photo by its bytes and size', () => {
    const ok = readReport({ content: '路灯不亮', address: '胜利路', name: '张三', phone: '13800000000', publicWall: 'on' });
    expect(checkReport(ok, undefined, 1024, t)).toEqual([]);
    expect(toPublicRequest(ok)).toMatchObject({ citizen: { name: '张三', phone: '13800000000' }, publicWallOptOut: false });
    const bad = readReport({ content: '', address: '', name: '', phone: '123' });
    expect(checkReport(bad, undefined, 1024, t).map((p) => p.field)).toEqual(['content', 'address', 'name', 'phone']);
    const anon = readReport({ content: 'x', lat: '36.6', lng: '101.7', anonymous: 'on' });
    expect(checkReport(anon, undefined, 1024, t)).toEqual([]);
    expect(toPublicRequest(anon)).toMatchObject({ anonymous: true, publicWallOptOut: true, location: { lat: 36.6, lng: 101.7 } });
    expect(sniffPhoto(PNG)).toBe('image/png');
    expect(sniffPhoto(Buffer.from('%PDF-1.7'))).toBeNull();
    const html_ = { buffer: Buffer.from('<html>'), originalname: 'a.jpg', size: 6 };
    expect(checkReport(ok, html_, 1024, t)).toEqual([{ field: 'photo', message: t((m) => m.errors.photoType) }]);
    expect(checkReport(ok, { buffer: PNG, originalname: 'a.png', size: 2048 }, 1024, t)[0].field).toBe('photo');
  });

  it('signs form tokens: another nonce or a forged token is refused', () => {
    const f = new FormTokens(Buffer.alloc(32, 7).toString('base64'));
    const nonce = f.newNonce();
    expect(f.verify(nonce, f.tokenFor(nonce))).toBe(true);
    expect(f.verify(f.newNonce(), f.tokenFor(nonce))).toBe(false);
    expect(f.verify(nonce, 'x')).toBe(false);
    expect(f.verify(undefined, f.tokenFor(nonce))).toBe(false);
  });

  it('spells the token out for reading aloud', () => {
    expect(spellToken('aB3-_', t, 'zh-CN')).toBe('小写 a，大写 B，数字三，短横线，下划线');
  });
});
