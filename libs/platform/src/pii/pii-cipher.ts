import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  createSecretKey,
  hkdfSync,
  KeyObject,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import { readableToken } from '@app/contracts';

/** Where an encrypted value belongs: the record (a ticket's id) and the field (`citizen_phone`). */
export interface PiiContext {
  record: string;
  field: string;
}

const derive = (secret: Buffer, info: string) => Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), info, 32));

/**
 * Keys are held as KeyObjects, made once: given a Buffer, each createHmac / createCipheriv of Node 24
 * first tests whether it is a KeyObject by a check that throws and catches inside Node (about 10 µs
 * an HMAC, five times the HMAC itself; bench/README.md, "Node 24"). The bytes and results are the same.
 */
const secretKey = (bytes: Buffer): KeyObject => createSecretKey(bytes);

/**
 * Personal data at rest (citizens' names and phones, staff mobiles): AES-256-GCM with a key id in each value, so keys rotate
 * without a flag day, and an HMAC of the normalised phone for lookups (repeats, merges).
 *
 * Each use has its own key, derived (HKDF-SHA256) from the configured secret: encryption from each
 * PII_KEYS entry, status tokens and (see phoneHash) phone hashes from PII_HASH_KEY. A value encrypted
 * with a context is bound to it (`v2.<key id>.…`: AES-GCM additional data = record + field), so a
 * ciphertext copied to another ticket or another field does not decrypt. Values written before
 * (`<key id>.…`, the configured key itself, no binding) still decrypt, with or without a context;
 * they are rewritten bound only when their row is written again (no backfill).
 */
export class PiiCipher {
  private readonly keys = new Map<string, KeyObject>();
  /** The encryption keys of the bound (v2) format, derived from the PII_KEYS entries. */
  private readonly boundKeys = new Map<string, KeyObject>();
  private readonly currentId: string;
  private readonly hashKey: KeyObject;
  /** The status tokens' own key, derived from PII_HASH_KEY (HKDF-SHA256): one secret, two keys, one per use. */
  private readonly statusKey: KeyObject;

  constructor(keySpec: string, hashKey: string) {
    for (const part of keySpec.split(',')) {
      const [id, b64] = part.split(':');
      const key = Buffer.from(b64, 'base64');
      if (key.length !== 32) throw new Error(`PII key ${id} is not 32 bytes`);
      this.keys.set(id, secretKey(key));
      this.boundKeys.set(id, secretKey(derive(key, 'jiesu pii encryption v2')));
    }
    this.currentId = keySpec.split(':')[0];
    const hashBytes = Buffer.from(hashKey, 'base64');
    this.hashKey = secretKey(hashBytes);
    this.statusKey = secretKey(derive(hashBytes, 'jiesu intake status-token v2'));
  }

  /** Encrypt; with `context`, bound to its record and field (decrypt then needs the same context). */
  encrypt(plain: string, context?: PiiContext): string {
    const iv = randomBytes(12);
    const key = (context ? this.boundKeys : this.keys).get(this.currentId)!;
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    if (context) cipher.setAAD(aad(context));
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    const parts = [this.currentId, iv.toString('base64'), cipher.getAuthTag().toString('base64'), data.toString('base64')];
    return (context ? ['v2', ...parts] : parts).join('.');
  }

  /**
   * Decrypt. A bound value (`v2.`) decrypts only with the context it was encrypted with: copied to
   * another record or field, it throws. An unbound (older) value decrypts whatever the context.
   */
  decrypt(value: string, context?: PiiContext): string {
    const parts = value.split('.');
    const bound = parts[0] === 'v2';
    if (bound && !context) throw new Error('a bound PII value needs its record and field to decrypt');
    const [id, iv, tag, data] = bound ? parts.slice(1) : parts;
    const key = (bound ? this.boundKeys : this.keys).get(id);
    if (!key) throw new Error(`PII key ${id} is not configured`);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
    if (bound) decipher.setAAD(aad(context!));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]).toString('utf8');
  }

  /**
   * The citizen's secret for the status lookup: a keyed hash of the order id, so nothing is stored
   * and a retried submission gets the same token. 16 characters of Crockford's base32 (80 bits; no
   * I, L, O or U, so it can be read out over the phone), see `readableToken`.
   */
  statusToken(ticketId: string): string {
    return readableToken(this.statusMac(this.statusKey, ticketId));
  }

  /**
   * True when `token` (as `normaliseStatusToken` leaves it) is the order's token in any form ever
   * issued: the readable one, the 22-character base64url one of the same key (receipts given before
   * the readable form), and the one keyed with PII_HASH_KEY itself (before the keys were separated).
   */
  checkStatusToken(ticketId: string, token: string): boolean {
    const got = Buffer.from(token);
    const same = (t: string) => {
      const want = Buffer.from(t);
      return want.length === got.length && timingSafeEqual(want, got);
    };
    // Every form compared every time: the answer's timing does not tell which one matched.
    const readable = same(this.statusToken(ticketId));
    const base64 = same(this.statusMac(this.statusKey, ticketId).toString('base64url').slice(0, 22));
    const legacy = same(this.statusMac(this.hashKey, ticketId).toString('base64url').slice(0, 22));
    return readable || base64 || legacy;
  }

  private statusMac(key: KeyObject, ticketId: string): Buffer {
    return createHmac('sha256', key).update(`status-token:${ticketId}`).digest();
  }

  phoneHash(phone: string): string {
    return createHmac('sha256', this.hashKey).update(normalisePhone(phone)).digest('hex');
  }
}

function aad(c: PiiContext): Buffer {
  return Buffer.from(`jiesu-pii\u0000${c.record}\u0000${c.field}`, 'utf8');
}

/** Digits only; a leading +86 / 0086 country code is dropped. */
export function normalisePhone(phone: string): string {
  return phone.replace(/\D/g, '').replace(/^(0086|86)(?=1\d{10}$)/, '');
}

/** 13812345678 → 138****5678; 0971-6123456 → 0971-****456. */
export function maskPhone(phone: string): string {
  const p = phone.trim();
  if (/^1\d{10}$/.test(p)) return `${p.slice(0, 3)}****${p.slice(7)}`;
  const keep = 3;
  const dash = p.indexOf('-');
  const head = dash > 0 ? p.slice(0, dash + 1) : p.slice(0, 3);
  return `${head}****${p.slice(-keep)}`;
}

/** zhang.san@chengxi.gov.cn → z***@chengxi.gov.cn (the domain stays: it says which office). */
export function maskEmail(email: string): string {
  const e = email.trim();
  const at = e.lastIndexOf('@');
  if (at < 1) return '***';
  return `${e.slice(0, 1)}***${e.slice(at)}`;
}

/** 刘晓梅 → 刘**; Alice → A****. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length === 0) return '';
  return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
}
