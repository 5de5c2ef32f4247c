import { plainToInstance } from 'class-transformer';
import type { MetadataStorage } from 'class-transformer/types/MetadataStorage';
import { getMetadataStorage } from 'class-validator';

// class-transformer's own registry of @Type/@Expose/@Exclude/@Transform (the same singleton its
// plainToInstance reads; the package exports it only from its build folders).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const transformerStorage = (require('class-transformer/cjs/storage') as { defaultMetadataStorage: MetadataStorage }).defaultMetadataStorage;

/** PLAIN_TO_CLASS in class-transformer's TransformationType. */
const PLAIN_TO_CLASS = 0;

/** "Leave this one to class-transformer": the input has something the compiled builder does not reproduce. */
const UNSURE = Symbol('unsure');
type Built = object | typeof UNSURE;
type Builder = (plain: object) => Built;

/**
 * `plainToInstance(cls, plain)` for JSON input, compiled once per class: `new cls()`, then every key
 * of `plain` in its order, a nested object built as its `@Type` class (or copied as a plain object
 * when it has none), arrays element by element, everything else as it is. That is exactly what
 * class-transformer does for a class that uses nothing but `@Type(() => SomeClass)` (no
 * @Expose/@Exclude/@Transform, no discriminators, no conversion to String/Number/Boolean/Date), and
 * a class using anything else is never compiled. What class-transformer would do differently at run
 * time is refused (UNSURE) instead of imitated: a key it skips or treats specially (`__proto__`,
 * `constructor`, any name on the prototype chain such as `toString`), and a key the class does not
 * validate (class-validator refuses it anyway). The caller then runs `plainToInstance` itself.
 */
const builders = new Map<Function, Builder | null>();

/** A `@Type` target the builder may construct: a class, not a value type class-transformer converts to. */
const CONVERTED = new Set<unknown>([String, Number, Boolean, Date, Buffer, Map, Set, Object, Array, Promise]);

function builderFor(cls: Function): Builder | null {
  if (builders.has(cls)) return builders.get(cls)!;
  builders.set(cls, null); // a class nesting itself stays with class-transformer
  const built = compile(cls);
  builders.set(cls, built);
  return built;
}

function compile(cls: Function): Builder | null {
  const ctor = cls as new () => Record<string, unknown>;
  if (transformerStorage.getStrategy(cls) !== 'none') return null;
  if (transformerStorage.getExposedMetadatas(cls).length || transformerStorage.getExcludedMetadatas(cls).length) return null;
  const properties = new Set(
    getMetadataStorage()
      .getTargetValidationMetadatas(cls, '', false, false, undefined)
      .map((m) => m.propertyName),
  );
  let sample: Record<string, unknown>;
  try {
    sample = new ctor();
  } catch {
    return null;
  }
  // Per key: undefined = no @Type (plain copy); a class = built as that class.
  const plan = new Map<string, Function | undefined>();
  for (const p of properties) {
    if (p in cls.prototype || typeof sample[p] === 'function') return null;
    if (transformerStorage.findTransformMetadatas(cls, p, PLAIN_TO_CLASS).length) return null;
    const meta = transformerStorage.findTypeMetadata(cls, p);
    if (!meta) {
      plan.set(p, undefined);
      continue;
    }
    // Only `@Type(() => SomeClass)`: a type function that looks at the object, a discriminator, a
    // Set/Map container or a value type (String, Date, …) are class-transformer's to handle.
    if (meta.options?.discriminator || !meta.typeFunction || meta.typeFunction.length > 0) return null;
    const reflected = meta.reflectedType as unknown;
    if (
      reflected === Set ||
      reflected === Map ||
      (reflected !== Array && typeof reflected === 'function' && 'push' in reflected.prototype)
    ) {
      return null;
    }
    const target = meta.typeFunction() as unknown;
    if (typeof target !== 'function' || CONVERTED.has(target)) return null;
    plan.set(p, target);
  }
  return (plain) => {
    const o = new ctor();
    for (const k of Object.keys(plain)) {
      if (!plan.has(k)) return UNSURE;
      const v = convert(plan.get(k), (plain as Record<string, unknown>)[k]);
      if (v === UNSURE) return UNSURE;
      o[k] = v;
    }
    return o;
  };
}

function convert(type: Function | undefined, v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    for (const x of v as unknown[]) {
      const y = convert(type, x);
      if (y === UNSURE) return UNSURE;
      out.push(y);
    }
    return out;
  }
  if (Object.getPrototypeOf(v) !== Object.prototype) return UNSURE; // not what JSON.parse makes
  if (type === undefined) return copyPlain(v);
  const build = builderFor(type);
  return build ? build(v) : UNSURE;
}

/** A nested object without `@Type`: class-transformer copies it into a new `{}`, its nested values the same way. */
function copyPlain(v: object): Built {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) {
    if (k in Object.prototype) return UNSURE; // __proto__, constructor, toString…: class-transformer skips them
    const y = convert(undefined, (v as Record<string, unknown>)[k]);
    if (y === UNSURE) return UNSURE;
    out[k] = y;
  }
  return out;
}

/**
 * `plainToInstance(cls, plain)`, the same object (class, keys and their order, nested instances),
 * built by the compiled builder when it can be sure and by class-transformer otherwise.
 */
export function toInstance<T extends object>(cls: new () => T, plain: unknown): T {
  if (plain !== null && typeof plain === 'object' && !Array.isArray(plain) && Object.getPrototypeOf(plain) === Object.prototype) {
    const build = builderFor(cls);
    if (build) {
      const o = build(plain);
      if (o !== UNSURE) return o as T;
    }
  }
  return plainToInstance(cls, plain);
}
