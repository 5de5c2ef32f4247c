import { createHmac, randomBytes } from 'node:crypto';
import { maskName, maskPhone, normalisePhone, PiiCipher } from './pii.service';

const key = () => randomBytes(32).toString('base64');

describe('PiiCipher', () => {
  it('round-trips and never stores the plain text', () => {
    const c = new PiiCipher(`k1:${key()}`, key());
    const enc = c.encrypt('13812345678');
    expect(enc).not.toContain('13812345678');
    expect(c.decrypt(enc)).toBe('13812345678');
  });

  it('decrypts values written with an older key after rotation', () => {
    const old = key();
    const before = new PiiCipher(`k1:${old}`, key());
    const enc = before.encrypt('刘晓梅');
    const after = new PiiCipher(`k2:${key()},k1:${old}`, key());
    expect(after.decrypt(enc)).toBe('刘晓梅');
    expect(after.encrypt('x').startsWith('k2.')).toBe(true);
  });

  it('hashes the same phone the same way whatever its formatting', () => {
    const c = new PiiCipher(`k1:${key()}`, key());
    expect(c.phoneHash('+86 138-1234-5678')).toBe(c.phoneHash('13812345678'));
    expect(c.phoneHash('13812345679')).not.toBe(c.phoneHash('13812345678'));
  });
});

describe('masking', () => {
  it.each([
    ['13812345678', '138****5678'],
    ['0971-6123456', '0971-****456'],
  ])('masks phone %s', (p, m) => expect(maskPhone(p)).toBe(m));

  it.each([
    ['刘晓梅', '刘**'],
    ['王五', '王*'],
  ])('masks name %s', (n, m) => expect(maskName(n)).toBe(m));

  it('normalises country codes', () => expect(normalisePhone('008613812345678')).toBe('13812345678'));
});

describe('status tokens', () => {
  const cipher = new PiiCipher(`k1:${key()}`, key());

  it('are stable per order, differ between orders, and check in constant time', () => {
    const a = cipher.statusToken('6f1d3d58-8d0f-4b8e-9a51-2f6a3c1b9e01');
    expect(a).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(cipher.statusToken('6f1d3d58-8d0f-4b8e-9a51-2f6a3c1b9e01')).toBe(a);
    expect(cipher.statusToken('6f1d3d58-8d0f-4b8e-9a51-2f6a3c1b9e02')).not.toBe(a);
    expect(cipher.checkStatusToken('6f1d3d58-8d0f-4b8e-9a51-2f6a3c1b9e01', a)).toBe(true);
    expect(cipher.checkStatusToken('6f1d3d58-8d0f-4b8e-9a51-2f6a3c1b9e01', 'x'.repeat(22))).toBe(false);
    expect(cipher.checkStatusToken('6f1d3d58-8d0f-4b8e-9a51-2f6a3c1b9e01', 'short')).toBe(false);
  });

  it('use a key derived for them alone, and still accept the tokens given before', () => {
    const hashKey = key();
    const c = new PiiCipher(`k1:${key()}`, hashKey);
    const id = '6f1d3d58-8d0f-4b8e-9a51-2f6a3c1b9e01';
    const legacy = createHmac('sha256', Buffer.from(hashKey, 'base64')).update(`status-token:${id}`).digest('base64url').slice(0, 22);
    expect(c.statusToken(id)).not.toBe(legacy);
    expect(c.checkStatusToken(id, legacy)).toBe(true);
    expect(c.checkStatusToken(id, c.statusToken(id))).toBe(true);
  });
});
