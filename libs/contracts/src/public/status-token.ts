/**
 * The citizen's status token (查询码): what the operator reads out with the order number and the citizen
 * types back on the status page. Written in Crockford's base32: digits and upper-case letters without
 * I, L, O and U, so nothing in it can be misheard as, or misread for, another character. 16 characters
 * (80 bits), shown in four groups of four.
 *
 * Receipts given before carry a 22-character base64url token (mixed case, `-` and `_`); they are still
 * accepted as they were written.
 */
export const STATUS_TOKEN_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** The readable token as issued (no separators). */
export const READABLE_STATUS_TOKEN = /^[0-9A-HJKMNP-TV-Z]{16}$/;

/** An earlier receipt's token (base64url, 22 characters). */
export const LEGACY_STATUS_TOKEN = /^[A-Za-z0-9_-]{22}$/;

/** Either form, after `normaliseStatusToken`. */
export const STATUS_TOKEN = /^(?:[0-9A-HJKMNP-TV-Z]{16}|[A-Za-z0-9_-]{22})$/;

/** What a 400 says when the token is not one. */
export const STATUS_TOKEN_MESSAGE = 'token must be the 16-character code given with the order number (four groups of four)';

/** The first 80 bits of `bytes` in Crockford's base32. */
export function readableToken(bytes: Uint8Array): string {
  if (bytes.length < 10) throw new Error('a status token needs 10 bytes');
  let out = '';
  let bits = 0;
  let value = 0;
  for (let i = 0; i < 10; i++) {
    value = (value << 8) | bytes[i];
    bits += 8;
    while (bits >= 5) {
      out += STATUS_TOKEN_ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return out;
}

/**
 * What a person typed, as the token it stands for: spaces dropped; an earlier receipt's 22-character
 * token kept as written (its case and `-`/`_` matter); otherwise hyphens dropped, letters upper-cased,
 * and the characters Crockford's base32 leaves out read as the ones they look like (O → 0, I and L → 1).
 * Anything else is returned as typed (less spaces), for the validator to refuse.
 */
export function normaliseStatusToken(typed: string): string {
  const compact = typed.replace(/\s+/g, '');
  if (LEGACY_STATUS_TOKEN.test(compact)) return compact;
  const readable = compact.replace(/-/g, '').toUpperCase().replace(/O/g, '0').replace(/[IL]/g, '1');
  return READABLE_STATUS_TOKEN.test(readable) ? readable : compact;
}
