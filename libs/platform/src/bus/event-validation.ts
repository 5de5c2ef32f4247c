import { EVENT_CATALOGUE, EnvelopeDto, EventEnvelope, isEventType, isTicketEventType } from '@app/contracts';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { FieldError, flattenValidationErrors } from '../http/validation';

export type ParsedEvent =
  | { ok: true; envelope: EventEnvelope }
  | {
      ok: false;
      reason: 'oversized' | 'invalid_encoding' | 'malformed_json' | 'invalid_envelope' | 'unknown_type' | 'invalid_payload';
      errors: FieldError[];
      partial?: { id?: unknown; type?: unknown };
    };

const OPTIONS = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true };

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

/** Validate an event as untrusted input: the envelope, then the payload class its type names. */
export function validateEvent(raw: unknown): ParsedEvent {
  try {
    return validateUntrusted(raw);
  } catch (e) {
    // class-transformer or a validator choking on something pathological: still only invalid input.
    return { ok: false, reason: 'invalid_envelope', errors: [{ field: '', reason: `cannot be validated: ${(e as Error).message}` }] };
  }
}

function validateUntrusted(raw: unknown): ParsedEvent {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, reason: 'invalid_envelope', errors: [{ field: '', reason: 'event must be a JSON object' }] };
  }
  const partial = raw as { id?: unknown; type?: unknown };
  const unstorable = unstorableStrings(raw);
  if (unstorable.length > 0) {
    const inData = unstorable.every((x) => x.field.startsWith('data.') || x.field === 'data');
    return { ok: false, reason: inData ? 'invalid_payload' : 'invalid_envelope', errors: unstorable, partial };
  }
  const env = plainToInstance(EnvelopeDto, raw);
  const envErrors = validateSync(env, { ...OPTIONS, forbidNonWhitelisted: true });
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
  const data = plainToInstance(cls, env.data);
  const dataErrors = validateSync(data, OPTIONS);
  if (dataErrors.length > 0) {
    return { ok: false, reason: 'invalid_payload', errors: flattenValidationErrors(dataErrors, 'data'), partial };
  }
  // Validated above: type, ticketId and data agree with the catalogue.
  return { ok: true, envelope: { ...env, ticketId, data } as unknown as EventEnvelope };
}

/** Bodies above this are refused before parsing (JetStream's own limit is 1 MB by default). */
export const DEFAULT_MAX_EVENT_BYTES = 256 * 1024;

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Parse a message body as it came off the wire: size, then UTF-8 (strictly: a replacement character
 * would silently change the citizen's text), then JSON, then the envelope and payload.
 */
export function parseEventBytes(body: Uint8Array, maxBytes = DEFAULT_MAX_EVENT_BYTES): ParsedEvent {
  if (body.byteLength > maxBytes) {
    return { ok: false, reason: 'oversized', errors: [{ field: '', reason: `body of ${body.byteLength} bytes exceeds ${maxBytes}` }] };
  }
  let text: string;
  try {
    text = UTF8.decode(body);
  } catch {
    return { ok: false, reason: 'invalid_encoding', errors: [{ field: '', reason: 'body is not valid UTF-8' }] };
  }
  return parseEvent(text);
}

export function parseEvent(body: string): ParsedEvent {
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch (e) {
    return { ok: false, reason: 'malformed_json', errors: [{ field: '', reason: (e as Error).message }] };
  }
  return validateEvent(raw);
}
