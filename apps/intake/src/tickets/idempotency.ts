import { FieldValidationException } from '@app/platform';
import { createHash } from 'node:crypto';
import { IdempotencyInput } from './submission';

/**
 * The `Idempotency-Key` header: 1–200 visible ASCII characters (a UUID is the usual choice). The
 * request body is hashed so that the same key with another body is refused rather than ignored.
 */
export function idempotencyOf(header: string | undefined, body: unknown): IdempotencyInput | undefined {
  if (header === undefined) return undefined;
  if (!/^[\x21-\x7e]{1,200}$/.test(header)) {
    throw new FieldValidationException([
      { field: 'Idempotency-Key', reason: 'the header must be 1 to 200 visible ASCII characters, e.g. a UUID' },
    ]);
  }
  return { key: header, requestHash: createHash('sha256').update(stableJson(body)).digest('hex') };
}

/** JSON with sorted keys, so that the same body in another key order hashes the same. */
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}
