import 'reflect-metadata';
import { EVENT_CATALOGUE, EnvelopeDto, isEventType, isTicketEventType } from '@app/contracts';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { EventFactory } from '../../../../bench/lib/events';
import { flattenValidationErrors } from '../http/validation';
import { parseEvent } from './event-validation';

/**
 * The compiled validators decide only "certainly valid"; everything else goes to class-validator.
 * So parseEvent must answer exactly what class-validator alone answers, for valid events and for
 * every kind of broken one (a field missing, of the wrong type, null, an extra field, a nested
 * object replaced, an array element wrong).
 */
const OPTIONS = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true };

/** What parseEvent answered before the validators were compiled: class-validator on everything. */
function reference(body: string): { ok: boolean; errors?: unknown } {
  const raw = JSON.parse(body) as Record<string, unknown>;
  const env = plainToInstance(EnvelopeDto, raw);
  const envErrors = validateSync(env, OPTIONS);
  if (envErrors.length) return { ok: false, errors: flattenValidationErrors(envErrors) };
  if (!isEventType(env.type)) return { ok: false };
  // The envelope's own rule beside class-validator's: an event about an order carries its ticketId.
  if ((env.ticketId ?? null) === null && isTicketEventType(env.type)) return { ok: false };
  const data = plainToInstance(EVENT_CATALOGUE[env.type] as new () => object, env.data);
  const dataErrors = validateSync(data, OPTIONS);
  return dataErrors.length ? { ok: false, errors: flattenValidationErrors(dataErrors, 'data') } : { ok: true };
}

function mutations(body: string): string[] {
  const e = JSON.parse(body) as { data: Record<string, unknown> } & Record<string, unknown>;
  const out: string[] = [];
  const variant = (f: (x: typeof e) => void) => {
    const x = JSON.parse(body) as typeof e;
    f(x);
    out.push(JSON.stringify(x));
  };
  for (const k of Object.keys(e.data)) {
    const v = e.data[k];
    variant((x) => delete x.data[k]);
    variant((x) => (x.data[k] = null));
    variant((x) => (x.data[k] = typeof v === 'string' ? 42 : 'x'));
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      for (const kk of Object.keys(v)) variant((x) => ((x.data[k] as Record<string, unknown>)[kk] = [1]));
      variant((x) => ((x.data[k] as Record<string, unknown>).extra = 1));
      variant((x) => (x.data[k] = 'not an object'));
    }
    if (Array.isArray(v)) variant((x) => (x.data[k] = [...(v as unknown[]), 'not_a_flag']));
  }
  variant((x) => (x.data.unexpected = 'field'));
  variant((x) => (x.unexpected = 'field'));
  variant((x) => delete x.ticketId);
  variant((x) => (x.occurredAt = 'yesterday'));
  variant((x) => (x.data = 'not an object' as never));
  return out;
}

describe('event validation, compiled', () => {
  const factory = new EventFactory('t', 5);
  const bodies: string[] = [];
  while (bodies.length < 400) bodies.push(...factory.nextOrder().map((g) => g.body));

  it('accepts what class-validator accepts, and refuses with its very errors what it refuses', () => {
    let valid = 0;
    let invalid = 0;
    const seenTypes = new Set<string>();
    for (const body of bodies) {
      const type = (JSON.parse(body) as { type: string }).type;
      const checks = seenTypes.has(type) ? [body] : [body, ...mutations(body)];
      seenTypes.add(type);
      for (const b of checks) {
        const ref = reference(b);
        const got = parseEvent(b);
        expect({ body: b, ok: got.ok }).toEqual({ body: b, ok: ref.ok });
        if (!got.ok && ref.errors) expect(got.errors).toEqual(ref.errors);
        if (got.ok) valid++;
        else invalid++;
      }
    }
    expect(valid).toBeGreaterThan(300);
    expect(invalid).toBeGreaterThan(200);
  });
});
