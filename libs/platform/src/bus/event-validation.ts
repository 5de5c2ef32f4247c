import { EVENT_CATALOGUE, EnvelopeDto, EventEnvelope, isEventType } from '@app/contracts';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { FieldError, flattenValidationErrors } from '../http/validation';

export type ParsedEvent =
  | { ok: true; envelope: EventEnvelope<object> }
  | {
      ok: false;
      reason: 'malformed_json' | 'invalid_envelope' | 'unknown_type' | 'invalid_payload';
      errors: FieldError[];
      partial?: Partial<EventEnvelope>;
    };

const OPTIONS = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true };

/** Validate an event as untrusted input: the envelope, then the payload class its type names. */
export function validateEvent(raw: unknown): ParsedEvent {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, reason: 'invalid_envelope', errors: [{ field: '', reason: 'event must be a JSON object' }] };
  }
  const env = plainToInstance(EnvelopeDto, raw);
  const envErrors = validateSync(env, { ...OPTIONS, forbidNonWhitelisted: true });
  const partial = raw as Partial<EventEnvelope>;
  if (envErrors.length > 0) {
    return { ok: false, reason: 'invalid_envelope', errors: flattenValidationErrors(envErrors), partial };
  }
  if (!isEventType(env.type)) {
    return { ok: false, reason: 'unknown_type', errors: [{ field: 'type', reason: `unknown event type ${env.type}` }], partial };
  }
  const cls = EVENT_CATALOGUE[env.type] as new () => object;
  const data = plainToInstance(cls, env.data);
  const dataErrors = validateSync(data, OPTIONS);
  if (dataErrors.length > 0) {
    return { ok: false, reason: 'invalid_payload', errors: flattenValidationErrors(dataErrors, 'data'), partial };
  }
  return { ok: true, envelope: { ...env, ticketId: env.ticketId ?? null, data } };
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
