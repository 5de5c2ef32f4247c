import { getMetadataStorage, ValidationTypes } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

/**
 * The options every validation of untrusted input runs with, on the bus (event-validation.ts) and
 * over HTTP (PlatformValidationPipe): unknown properties and values refused.
 */
export const STRICT_VALIDATION = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true } as const;

/**
 * A class's validators compiled once into one function: `true` means class-validator's
 * `validateSync(instance, STRICT_VALIDATION)` would find nothing wrong, so it need not run. It applies the
 * same constraint objects class-validator registered (IsUUID, Matches, IsEnum, …), the same
 * conditions (IsOptional), whitelist and unknown-value rules, and nested objects; it skips
 * class-validator's per-call work (metadata lookup and grouping, error objects for every property).
 * `false` only means "not certainly valid": the caller then runs `validateSync` for the errors, so
 * a refusal and its reasons are exactly class-validator's. A class using anything it does not
 * know (async or promise validation, groups, contexts) is never compiled (null: always the slow path).
 */
type Check = (o: object) => boolean;
const compiled = new Map<Function, Check | null>();

interface ConstraintImpl {
  validate(value: unknown, args: object): unknown;
}

function compileClass(cls: Function): Check | null {
  if (compiled.has(cls)) return compiled.get(cls)!;
  compiled.set(cls, null); // a cycle (a class nesting itself) stays on the slow path
  const storage = getMetadataStorage();
  const metas: ValidationMetadata[] = storage.getTargetValidationMetadatas(cls, '', false, false, undefined);
  if (!metas.length) return null; // forbidUnknownValues refuses it
  const grouped = storage.groupByPropertyName(metas);
  const props: Check[] = [];
  for (const [property, list] of Object.entries(grouped)) {
    if (list.some((m) => (m.groups && m.groups.length) || m.always || m.context)) return null;
    const defined = list.filter((m) => m.type === ValidationTypes.IS_DEFINED);
    const rest = list.filter((m) => m.type !== ValidationTypes.IS_DEFINED && m.type !== ValidationTypes.WHITELIST);
    if (
      rest.some(
        (m) =>
          ![ValidationTypes.CUSTOM_VALIDATION, ValidationTypes.NESTED_VALIDATION, ValidationTypes.CONDITIONAL_VALIDATION].includes(m.type),
      )
    )
      return null;
    const constraintsOf = (ms: ValidationMetadata[]) => {
      const out: { meta: ValidationMetadata; impl: ConstraintImpl }[] = [];
      for (const meta of ms) {
        for (const c of storage.getTargetValidatorConstraints(meta.constraintCls)) {
          if (c.async) return null;
          out.push({ meta, impl: c.instance as ConstraintImpl });
        }
      }
      return out;
    };
    const definedChecks = constraintsOf(defined);
    const custom = constraintsOf(rest.filter((m) => m.type === ValidationTypes.CUSTOM_VALIDATION));
    if (!definedChecks || !custom) return null;
    const conditions = rest
      .filter((m) => m.type === ValidationTypes.CONDITIONAL_VALIDATION)
      .map((m) => m.constraints[0] as (o: object, v: unknown) => boolean);
    const nested = rest.some((m) => m.type === ValidationTypes.NESTED_VALIDATION);
    const targetName = cls.name;
    const passes = (o: object, value: unknown, c: { meta: ValidationMetadata; impl: ConstraintImpl }): boolean => {
      const args = { targetName, property, object: o, value, constraints: c.meta.constraints };
      if (c.meta.each && (Array.isArray(value) || value instanceof Set || value instanceof Map)) {
        if (value instanceof Map) return false; // Map entries: leave to class-validator
        for (const x of value as Iterable<unknown>) if (c.impl.validate(x, args) !== true) return false;
        return true;
      }
      return c.impl.validate(value, args) === true;
    };
    const nestedOk = (value: unknown): boolean => {
      if (value === undefined) return true;
      const one = (v: unknown) => {
        if (!(v instanceof Object)) return false;
        const check = compileClass(v.constructor);
        return check !== null && check(v);
      };
      if (Array.isArray(value)) return value.every((v) => v === undefined || one(v));
      if (value instanceof Set || value instanceof Map) return false;
      return one(value);
    };
    props.push((o) => {
      const value = (o as Record<string, unknown>)[property];
      if (value instanceof Promise) return false;
      for (const cond of conditions) if (!cond(o, value)) return true;
      for (const c of definedChecks) if (!passes(o, value, c)) return false;
      for (const c of custom) if (!passes(o, value, c)) return false;
      return !nested || nestedOk(value);
    });
  }
  const allowed = new Set(Object.keys(grouped).filter((p) => grouped[p].length > 0));
  const check: Check = (o) => {
    for (const k of Object.keys(o)) if (!allowed.has(k)) return false;
    for (const p of props) if (!p(o)) return false;
    return true;
  };
  compiled.set(cls, check);
  return check;
}

/**
 * Whether class-validator would find nothing wrong with `instance` under STRICT_VALIDATION, by the
 * class's compiled check: true is certain, false means "ask class-validator" (it is invalid, or its
 * class uses something the compiler leaves to class-validator).
 */
export function certainlyValid(instance: object): boolean {
  const check = compileClass(instance.constructor);
  return check !== null && check(instance);
}
