import { FormTokens } from './form-token';
import { html, raw } from './html';
import { translator } from './i18n';
import { CitizenStatusView } from '@app/contracts';
import { reportPage, spellToken, statusPage, wallPage } from './pages';
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

  it('offers 补充诉求 on an order being handled, keeps refused words escaped, and never shows the words back otherwise', () => {
    const s: CitizenStatusView = {
      orderNo: '20261205-000001',
      status: 'processing',
      statusLabel: '办理中 Being handled',
      category: '噪音扰民',
      acceptedAt: '2026-12-05T02:00:00Z',
      unitName: '胜利路街道办事处',
      reply: null,
      mergedIntoOrderNo: null,
      updatedAt: '2026-12-05T03:00:00Z',
      canSupplement: true,
      supplementedAt: ['2026-12-05T04:00:00Z'],
    };
    const form = { formToken: 'f', once: 'o'.repeat(22), token: '7KQ2M9XD4F8AZP3R' };
    const open = statusPage(t, 'zh-CN', s, { ...form, text: '</textarea><script>x()</script>' }).value;
    expect(open).toContain('action="/public/status/supplement#supplement"');
    expect(open).toContain('name="token" value="7KQ2M9XD4F8AZP3R"');
    expect(open).toContain('您已在网上补充 1 次，最近一次在 2026年12月5日 12:00。');
    expect(open).not.toContain('<script>x()');
    // closed: no form; without a refusal nothing but the history
    const closed = statusPage(t, 'zh-CN', { ...s, canSupplement: false }, form).value;
    expect(closed).not.toContain('name="text"');
    expect(closed).toContain('您已在网上补充 1 次');
    // refused on a closed order: why, and the words kept to copy (read-only), with the way to a new request
    const refused = statusPage(t, 'zh-CN', { ...s, canSupplement: false }, { ...form, text: '又吵了', refusal: '工单已办结' }).value;
    expect(refused).toContain('<div class="error" role="alert">工单已办结</div>');
    expect(refused).toMatch(/<textarea id="supplement-text" readonly>\s*又吵了<\/textarea/);
    // an older intake (no fields) and an order never supplemented offer nothing
    const older = statusPage(t, 'zh-CN', { ...s, canSupplement: undefined, supplementedAt: undefined }, form).value;
    expect(older).not.toContain('data-testid="supplement"');
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
