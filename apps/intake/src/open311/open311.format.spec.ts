import 'reflect-metadata';
import { toXml } from './open311.format';
import { maskPersonalData } from './open311.service';

describe('the Open311 XML feed', () => {
  it('drops what XML 1.0 cannot hold and escapes the rest', () => {
    const xml = toXml('service_requests', [{ status_notes: 'a\u0000b\u0001c\u001Fd\uD800e\uFFFEf <&> "q" 😀\tg\nh' }]);
    expect(xml).toBe(
      '<?xml version="1.0" encoding="utf-8"?><service_requests><request><status_notes>abcdef &lt;&amp;&gt; &quot;q&quot; 😀\tg\nh</status_notes></request></service_requests>',
    );
    // Nothing left that an XML 1.0 parser refuses.
    // eslint-disable-next-line no-control-regex
    expect(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/.test(xml)).toBe(false);
  });

  it('masks numbers in replies as the public wall does', () => {
    expect(maskPersonalData('请联系13812345678或0971-6123456，身份证630102199001011234')).toBe('请联系[已隐去]或[已隐去]，身份证[已隐去]');
  });
});
