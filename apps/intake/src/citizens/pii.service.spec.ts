import 'reflect-metadata';
import { normaliseStatusToken } from '@app/contracts';
import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
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

  it('binds a value encrypted with a context to its record and field: copied elsewhere, it does not decrypt', () => {
    const c = new PiiCipher(`k1:${key()}`, key());
    const a = { record: '6f1d3d58-8d0f-4b8e-9a51-2f6a3c1b9e01', field: 'citizen_phone' };
    const enc = c.encrypt('13812345678', a);
    expect(enc.startsWith('v2.k1.')).toBe(true);
    expect(c.decrypt(enc, a)).toBe('13812345678');
    // Another order's row, another field of the same row, or no context at all: refused.
    expect(() => c.decrypt(enc, { ...a, record: '6f1d3d58-8d0f-4b8e-9a51-2f6a3c1b9e02' })).toThrow();
    expect(() => c.decrypt(enc, { ...a, field: 'citizen_name' })).toThrow();
    expect(() => c.decrypt(enc)).toThrow();
  });

  it('encrypts bound values with a key derived for encryption, not the configured key itself', () => {
    const raw = key();
    const c = new PiiCipher(`k1:${raw}`, key());
    const a = { record: 'r1', field: 'citizen_name' };
    const [, id, iv, tag, data] = c.encrypt('刘晓梅', a).split('.');
    // Re-labelled as an older (unbound) value, the configured key itself cannot open it.
    expect(() => c.decrypt([id, iv, tag, data].join('.'))).toThrow();
  });

  it('still decrypts values written before binding (the older format), with or without a context', () => {
    const raw = key();
    const old = new PiiCipher(`k1:${raw}`, key()).encrypt('刘晓梅');
    const now = new PiiCipher(`k1:${raw}`, key());
    expect(now.decrypt(old)).toBe('刘晓梅');
    expect(now.decrypt(old, { record: 'r1', field: 'citizen_name' })).toBe('刘晓梅');
  });

  it('hashes the same phone the same way whatever its formatting', () => {
    const c = new PiiCipher(`k1:${key()}`, key());
    expect(c.phoneHash('+86 138-1234-5678')).toBe(c.phoneHash('13812345678'));
    expect(c.phoneHash('13812345679')).not.toBe(c.phoneHash('13812345678'));
  });

  it('hashes a phone as HMAC-SHA256 keyed with PII_HASH_KEY’s bytes, so the hashes stored before (repeats, merges) still match', () => {
    const hashKey = key();
    const c = new PiiCipher(`k1:${key()}`, hashKey);
    expect(c.phoneHash('+86 138-1234-5678')).toBe(createHmac('sha256', Buffer.from(hashKey, 'base64')).update('13812345678').digest('hex'));
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
    expect(a).toMatch(/^[0-9A-HJKMNP-TV-Z]{16}$/);
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

  it('accept the 22-character base64url token of the same key, given before the readable form', () => {
    const hashKey = key();
    const c = new PiiCipher(`k1:${key()}`, hashKey);
    const id = '6f1d3d58-8d0f-4b8e-9a51-2f6a3c1b9e01';
    const statusKey = Buffer.from(hkdfSync('sha256', Buffer.from(hashKey, 'base64'), Buffer.alloc(0), 'jiesu intake status-token v2', 32));
    const earlier = createHmac('sha256', statusKey).update(`status-token:${id}`).digest('base64url').slice(0, 22);
    expect(c.checkStatusToken(id, earlier)).toBe(true);
    expect(c.checkStatusToken('6f1d3d58-8d0f-4b8e-9a51-2f6a3c1b9e02', earlier)).toBe(false);
  });

  it('are checked as typed: groups, lower case and look-alike letters read as the code', () => {
    const id = '6f1d3d58-8d0f-4b8e-9a51-2f6a3c1b9e01';
    const token = cipher.statusToken(id);
    const typed = token.toLowerCase().replace(/0/g, 'o').replace(/1/g, 'l').match(/.{4}/g)!.join(' - ');
    expect(normaliseStatusToken(typed)).toBe(token);
    expect(cipher.checkStatusToken(id, normaliseStatusToken(typed))).toBe(true);
  });
});
