import { isUtf8 } from 'node:buffer';
import { EVENT_CATALOGUE, EnvelopeDto, EventEnvelope, isEventType, isTicketEventType } from '@app/contracts';
import { validateSync } from 'class-validator';
import { FieldError, flattenValidationErrors } from '../http/validation';
import { certainlyValid, STRICT_VALIDATION } from '../validation/compiled-check';
import { toInstance } from './compiled-instance';

export type ParsedEvent =
  | { ok: true; envelope: EventEnvelope }
  | {
      ok: false;
      reason: 'oversized' | 'invalid_encoding' | 'malformed_json' | 'invalid_envelope' | 'unknown_type' | 'invalid_payload';
      errors: FieldError[];
      partial?: { id?: unknown; type?: unknown };
    };

/** class-validator's errors for `instance`, or none; the compiled check first, `validateSync` only when it is not certainly valid. */
function validateFast(instance: object): ReturnType<typeof validateSync> {
  if (certainlyValid(instance)) return [];
  return validateSync(instance, STRICT_VALIDATION);
}

/** Strings Postgres cannot store in `text` or `jsonb`: a NUL character, a lone UTF-16 surrogate. */
// eslint-disable-next-line no-control-regex -- NUL is exactly what this looks for
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const UNSTORABLE_ALL = new RegExp(UNSTORABLE.source, 'g');

/** `s` with what Postgres cannot store (NUL, lone surrogates) replaced by U+FFFD, cut to `max` characters. */
export function storable(s: string, max = 2000): string {
  const clean = s.replace(UNSTORABLE_ALL, '\ufffd');
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

/** Every string (key or value) in `raw` that Postgres could not store, by dotted path; at most `max`. */
function unstorableStrings(raw: unknown, path = '', out: FieldError[] = [], max = 20, depth = 0): FieldError[] {
  if (out.length >= max) return out;
  if (depth > 64) {
    out.push({ field: path, reason: 'nested more than 64 levels deep' });
    return out;
  }
  if (typeof raw === 'string') {
    if (UNSTORABLE.test(raw)) out.push({ field: path, reason: 'contains a NUL character or a lone surrogate, which cannot be stored' });
  } else if (raw && typeof raw === 'object') {
    for (const [k, v] of Object.entries(raw)) {
      const field = path ? `${path}.${k}` : k;
      if (UNSTORABLE.test(k)) out.push({ field, reason: 'the key contains a NUL character or a lone surrogate' });
      unstorableStrings(v, field, out, max, depth + 1);
    }
  }
  return out;
}

const BACKSLASH = 0x5c;
const LETTER_U = 0x75;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;

/**
 * Whether the JSON text `body` may hold a string Postgres cannot store or nest more than 64 levels
 * deep: a NUL or a surrogate written as such, a `\u` escape (which could spell either), or more than
 * 64 `{`/`[` in all. Only when it may does `unstorableStrings` walk the parsed value; otherwise it
 * could not find anything (a parsed string holds only characters the text spells, and no value
 * is nested deeper than the text has brackets). Strings spelled `\\u…` are counted too: that only
 * costs the walk.
 */
function mayHoldUnstorable(body: string): boolean {
  let brackets = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (c === 0 || (c >= 0xd800 && c <= 0xdfff)) return true;
    if (c === BACKSLASH && body.charCodeAt(i + 1) === LETTER_U) return true;
    if ((c === OPEN_BRACE || c === OPEN_BRACKET) && ++brackets > 64) return true;
  }
  return false;
}

/** Validate an event as untrusted input: the envelope, then the payload class its type names. */
export function validateEvent(raw: unknown): ParsedEvent {
  return validateChecked(raw, true);
}

/** `validateEvent`, with the walk for unstorable strings skipped when the text showed there can be none. */
function validateChecked(raw: unknown, walk: boolean): ParsedEvent {
  try {
    return validateUntrusted(raw, walk);
  } catch (e) {
    // class-transformer or a validator choking on something pathological: still only invalid input.
    return { ok: false, reason: 'invalid_envelope', errors: [{ field: '', reason: `cannot be validated: ${(e as Error).message}` }] };
  }
}

function validateUntrusted(raw: unknown, walk: boolean): ParsedEvent {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, reason: 'invalid_envelope', errors: [{ field: '', reason: 'event must be a JSON object' }] };
  }
  const partial = raw as { id?: unknown; type?: unknown };
  const unstorable = walk ? unstorableStrings(raw) : [];
  if (unstorable.length > 0) {
    const inData = unstorable.every((x) => x.field.startsWith('data.') || x.field === 'data');
    return { ok: false, reason: inData ? 'invalid_payload' : 'invalid_envelope', errors: unstorable, partial };
  }
  const env = toInstance(EnvelopeDto, raw);
  const envErrors = validateFast(env);
  if (envErrors.length > 0) {
    return { ok: false, reason: 'invalid_envelope', errors: flattenValidationErrors(envErrors), partial };
  }
  if (!isEventType(env.type)) {
    return { ok: false, reason: 'unknown_type', errors: [{ field: 'type', reason: `unknown event type ${env.type}` }], partial };
  }
  // The type promises consumers a ticketId on every event about an order (EventEnvelope<K>): keep that promise here.
  const ticketId = env.ticketId ?? null;
  if (ticketId === null && isTicketEventType(env.type)) {
    return {
      ok: false,
      reason: 'invalid_envelope',
      errors: [{ field: 'ticketId', reason: `required: ${env.type} is about an order` }],
      partial,
    };
  }
  const cls = EVENT_CATALOGUE[env.type] as new () => object;
  const data = toInstance(cls, env.data);
  const dataErrors = validateFast(data);
  if (dataErrors.length > 0) {
    return { ok: false, reason: 'invalid_payload', errors: flattenValidationErrors(dataErrors, 'data'), partial };
  }
  // Validated above: type, ticketId and data agree with the catalogue.
  return { ok: true, envelope: { ...env, ticketId, data } as unknown as EventEnvelope };
}

/** Bodies above this are refused before parsing (JetStream's own limit is 1 MB by default). */
export const DEFAULT_MAX_EVENT_BYTES = 256 * 1024;

/** The UTF-8 byte-order mark, which the WHATWG decoder (TextDecoder) drops from the start of a text. */
function bomLength(body: Uint8Array): number {
  return body.byteLength >= 3 && body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf ? 3 : 0;
}

/**
 * `new TextDecoder('utf-8', { fatal: true }).decode(body)`, or null where it would throw: the same
 * strict check (simdutf's `isUtf8`: no overlong forms, no encoded surrogates, nothing above
 * U+10FFFF) and the same text (a leading byte-order mark dropped), several times faster than the
 * fatal TextDecoder.
 */
export function decodeUtf8Strict(body: Uint8Array): string | null {
  if (!isUtf8(body)) return null;
  const bom = bomLength(body);
  return Buffer.from(body.buffer, body.byteOffset + bom, body.byteLength - bom).toString('utf8');
}

/**
 * Parse a message body as it came off the wire: size, then UTF-8 (strictly: a replacement character
 * would silently change the citizen's text), then JSON, then the envelope and payload.
 */
export function parseEventBytes(body: Uint8Array, maxBytes = DEFAULT_MAX_EVENT_BYTES): ParsedEvent {
  if (body.byteLength > maxBytes) {
    return { ok: false, reason: 'oversized', errors: [{ field: '', reason: `body of ${body.byteLength} bytes exceeds ${maxBytes}` }] };
  }
  const text = decodeUtf8Strict(body);
  if (text === null) return { ok: false, reason: 'invalid_encoding', errors: [{ field: '', reason: 'body is not valid UTF-8' }] };
  return parseEvent(text);
}

export function parseEvent(body: string): ParsedEvent {
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch (e) {
    return { ok: false, reason: 'malformed_json', errors: [{ field: '', reason: (e as Error).message }] };
  }
  return validateChecked(raw, mayHoldUnstorable(body));
}
