import 'reflect-metadata';
import { EVENT_CATALOGUE, EnvelopeDto, EventType, isEventType, isTicketEventType, NON_TICKET_EVENT_TYPES, versionOf } from '@app/contracts';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync, ValidationTypes } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { randomUUID } from 'node:crypto';
import { flattenValidationErrors } from '../http/validation';
import { toInstance } from './compiled-instance';
import { parseEvent } from './event-validation';

/**
 * parseEvent against what it was before anything was compiled (class-transformer's plainToInstance,
 * then class-validator's validateSync), for EVERY type of the catalogue: a valid payload of each
 * (every optional field present, and every one absent) and many broken ones. Same verdict, same
 * field errors, and for a valid event the very same envelope: same classes at every level, same
 * keys in the same order (own `undefined` fields included), same values.
 */
const OPTIONS = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true };
const storage = getMetadataStorage();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const transformer = (require('class-transformer/cjs/storage') as typeof import('class-transformer/types/storage')).defaultMetadataStorage;

type Reference = { ok: true; envelope: unknown } | { ok: false; errors?: unknown };

/** The old parseEvent (no unstorable strings in these bodies): class-transformer and class-validator on everything. */
function reference(body: string): Reference {
  const raw = JSON.parse(body) as Record<string, unknown>;
  let env: EnvelopeDto;
  let data: object;
  try {
    env = plainToInstance(EnvelopeDto, raw);
    const envErrors = validateSync(env, OPTIONS);
    if (envErrors.length) return { ok: false, errors: flattenValidationErrors(envErrors) };
    if (!isEventType(env.type)) return { ok: false };
    if ((env.ticketId ?? null) === null && isTicketEventType(env.type)) return { ok: false };
    data = plainToInstance(EVENT_CATALOGUE[env.type] as new () => object, env.data);
    const dataErrors = validateSync(data, OPTIONS);
    if (dataErrors.length) return { ok: false, errors: flattenValidationErrors(dataErrors, 'data') };
  } catch (e) {
    return { ok: false, errors: [{ field: '', reason: `cannot be validated: ${(e as Error).message}` }] };
  }
  return { ok: true, envelope: { ...env, ticketId: env.ticketId ?? null, data } };
}

/** Class and own keys in order at every level (toStrictEqual checks classes and values, not key order). */
function layout(x: unknown): unknown {
  if (x === null || typeof x !== 'object') return typeof x;
  if (Array.isArray(x)) return x.map(layout);
  return [
    (Object.getPrototypeOf(x) as { constructor?: { name?: string } } | null)?.constructor?.name,
    ...Object.keys(x).map((k) => [k, layout((x as Record<string, unknown>)[k])]),
  ];
}

// ---- A valid payload of any catalogue class, from its own validation metadata ----

const POOL: unknown[] = [
  '630104',
  '630104001',
  '630104001001',
  '20261122-000001',
  'ticket.accepted.v1',
  '13800000000',
  'abc',
  'staff@example.cn',
  '2026-12-05T08:00:00.000Z',
  '12345',
  '*',
  'user-1',
  'a_b',
  '市民反映小区噪音扰民',
  1,
  3,
  36.62,
  true,
  false,
];

function constraintsOf(m: ValidationMetadata) {
  return storage.getTargetValidatorConstraints(m.constraintCls);
}

/** Does `value` pass the property's checks (class-validator's own constraint objects)? */
function passes(cls: Function, property: string, metas: ValidationMetadata[], value: unknown): boolean {
  for (const m of metas) {
    if (m.type !== ValidationTypes.CUSTOM_VALIDATION && m.type !== ValidationTypes.IS_DEFINED) continue;
    for (const c of constraintsOf(m)) {
      const impl = c.instance as { validate(v: unknown, a: object): unknown };
      const args = { targetName: cls.name, property, object: {}, value, constraints: m.constraints };
      const ok = m.each && Array.isArray(value) ? value.every((v) => impl.validate(v, args) === true) : impl.validate(value, args) === true;
      if (!ok) return false;
    }
  }
  return true;
}

function candidates(metas: ValidationMetadata[]): unknown[] {
  const out: unknown[] = [];
  for (const m of metas) {
    for (const c of m.type === ValidationTypes.CUSTOM_VALIDATION ? constraintsOf(m) : []) {
      if (c.name === 'isUuid') out.push(randomUUID());
      if (c.name === 'isEnum') out.push(...Object.values(m.constraints[0] as object));
      if (c.name === 'isIn') out.push(...(m.constraints[0] as unknown[]));
      if (c.name === 'min') out.push(m.constraints[0], (m.constraints[0] as number) + 1);
      if (c.name === 'minLength') out.push('x'.repeat(m.constraints[0] as number), `市民${'x'.repeat(m.constraints[0] as number)}`);
      if (c.name === 'isLongitude') out.push(101.78);
      if (c.name === 'isLatitude') out.push(36.62);
    }
  }
  return [...out, ...POOL];
}

function sample(cls: Function, optionals: boolean, depth = 0): Record<string, unknown> {
  if (depth > 5) throw new Error(`${cls.name} nests too deep`);
  const metas = storage.getTargetValidationMetadatas(cls, '', false, false, undefined);
  const out: Record<string, unknown> = {};
  for (const [property, list] of Object.entries(storage.groupByPropertyName(metas))) {
    const optional = list.some((m) => m.type === ValidationTypes.CONDITIONAL_VALIDATION);
    if (optional && !optionals) continue;
    const nestedType = transformer.findTypeMetadata(cls, property)?.typeFunction?.() as Function | undefined;
    const isArray = list.some((m) => m.each || constraintsOf(m).some((c) => /^(isArray|array)/.test(c.name)));
    if (nestedType) {
      const one = () => sample(nestedType, optionals, depth + 1);
      out[property] = isArray ? [one(), one()] : one();
      continue;
    }
    const pool = candidates(list);
    const found = isArray
      ? pool.map((v) => [v]).find((v) => passes(cls, property, list, v))
      : pool.find((v) => passes(cls, property, list, v));
    if (found === undefined) throw new Error(`no valid sample value for ${cls.name}.${property}`);
    out[property] = found;
  }
  return out;
}

function envelope(type: EventType, data: unknown): Record<string, unknown> {
  return {
    id: randomUUID(),
    type,
    version: versionOf(type),
    occurredAt: '2026-12-05T08:00:00.000Z',
    district: '630104',
    ticketId: (NON_TICKET_EVENT_TYPES as readonly string[]).includes(type) ? null : randomUUID(),
    producer: 'test',
    data,
  };
}

// ---- Broken and odd variants ----

type Json = Record<string, unknown>;

/** Everything one could do wrong (or strangely) to an object's fields, recursively into nested objects and arrays. */
function objectMutations(o: Json, depth = 0): ((x: Json) => void)[] {
  const out: ((x: Json) => void)[] = [];
  const at = (k: string, f: (inner: Json) => void) => (x: Json) => f(x[k] as Json);
  for (const k of Object.keys(o)) {
    const v = o[k];
    out.push((x) => delete x[k]);
    out.push((x) => (x[k] = null));
    out.push((x) => (x[k] = typeof v === 'string' ? 42 : 'x'));
    out.push((x) => (x[k] = typeof v === 'string' ? '' : -1));
    out.push((x) => (x[k] = typeof v === 'string' ? `${v}\u4e2d`.repeat(600) : 2.5));
    out.push((x) => (x[k] = {}));
    out.push((x) => (x[k] = [v]));
    if (Array.isArray(v)) {
      out.push((x) => (x[k] = []));
      out.push((x) => (x[k] = [...(v as unknown[]), 'not_a_flag']));
      out.push((x) => (x[k] = [...(v as unknown[]), null]));
      out.push((x) => (x[k] = [v]));
      out.push((x) => (x[k] = [...(v as unknown[]), ...(v as unknown[])]));
      const first = (v as unknown[])[0];
      if (first && typeof first === 'object' && depth < 3) {
        for (const f of objectMutations(first as Json, depth + 1)) out.push((x) => f((x[k] as Json[])[0]));
      }
    } else if (v && typeof v === 'object' && depth < 3) {
      for (const f of objectMutations(v as Json, depth + 1)) out.push(at(k, f));
      out.push((x) => (x[k] = 'not an object'));
    }
  }
  // Keys class-transformer skips or treats specially (the compiled builder must leave them to it).
  for (const odd of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'unexpected']) {
    out.push((x) => Object.defineProperty(x, odd, { value: 'x', enumerable: true, writable: true, configurable: true }));
    out.push((x) => Object.defineProperty(x, odd, { value: { a: 1 }, enumerable: true, writable: true, configurable: true }));
  }
  // The same keys in another order.
  out.push((x) => {
    const entries = Object.entries(x).reverse();
    for (const [k] of entries) delete x[k];
    for (const [k, v] of entries) x[k] = v;
  });
  return out;
}

/** `body` and its broken or odd variants: of the payload's fields, and (`envelopeToo`) of the envelope's. */
function variants(body: Json, envelopeToo = true): string[] {
  const text = JSON.stringify(body);
  const out = [text];
  for (const f of envelopeToo ? objectMutations(body) : []) {
    const x = JSON.parse(text) as Json;
    f(x);
    out.push(JSON.stringify(x));
  }
  // Inside the payload, only the payload's own fields are mutated (the envelope's were above).
  const data = body.data as Json;
  for (const f of objectMutations(data)) {
    const x = JSON.parse(text) as Json;
    f(x.data as Json);
    out.push(JSON.stringify(x));
  }
  // Keys JSON.parse makes own properties of, spelled in the text (JSON.stringify would not write `__proto__` back).
  out.push(text.replace('"data":{', '"data":{"__proto__":{"a":1},'));
  out.push(text.replace('"data":{', '"data":{"constructor":"x",'));
  out.push(text.replace(/^\{/, '{"__proto__":{"type":"x"},'));
  return out;
}

describe('event validation: the compiled path against class-transformer + class-validator, every event type', () => {
  const types = Object.keys(EVENT_CATALOGUE) as EventType[];

  it.each(types)('%s: same verdict, same field errors, same envelope', (type) => {
    const cls = EVENT_CATALOGUE[type] as Function;
    const bodies = [envelope(type, sample(cls, true)), envelope(type, sample(cls, false))];
    // The generated samples must be valid, or this test proves little.
    for (const b of bodies) expect(reference(JSON.stringify(b))).toMatchObject({ ok: true });
    let valid = 0;
    let invalid = 0;
    for (const [n, b] of bodies.entries()) {
      // The envelope's variants once (they do not depend on the payload), the payload's for both samples.
      for (const text of variants(b, n === 0)) {
        const ref = reference(text);
        const got = parseEvent(text);
        expect({ text, ok: got.ok }).toEqual({ text, ok: ref.ok });
        if (got.ok && ref.ok) {
          expect(got.envelope).toStrictEqual(ref.envelope);
          expect(layout(got.envelope)).toEqual(layout(ref.envelope));
          valid++;
        } else if (!got.ok && !ref.ok) {
          if (ref.errors) expect({ text, errors: got.errors }).toEqual({ text, errors: ref.errors });
          invalid++;
        }
      }
    }
    expect(valid).toBeGreaterThanOrEqual(2);
    expect(invalid).toBeGreaterThan(20);
  });

  it.each(types)('%s: toInstance builds what plainToInstance builds, odd input included', (type) => {
    const cls = EVENT_CATALOGUE[type] as new () => object;
    // Every optional field present: the variants then touch every field (absent ones are variants too).
    for (const text of variants(envelope(type, sample(cls, true)))) {
      const raw = JSON.parse(text) as Json;
      for (const [target, input] of [
        [EnvelopeDto, raw],
        [cls, raw.data],
      ] as [new () => object, unknown][]) {
        let expected: unknown;
        let threw: unknown;
        try {
          expected = plainToInstance(target, input);
        } catch (e) {
          threw = e;
        }
        if (threw) {
          expect(() => toInstance(target, input)).toThrow((threw as Error).message);
          continue;
        }
        const got = toInstance(target, input);
        expect(got).toStrictEqual(expected);
        expect(layout(got)).toEqual(layout(expected));
      }
    }
  });

  it('covers the whole catalogue', () => {
    expect(types.length).toBeGreaterThanOrEqual(34);
  });
});
