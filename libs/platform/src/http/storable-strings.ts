import { FieldError } from './validation';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why Postgres could not store `s` as text, or null: it refuses NUL, and UTF-8 has no lone surrogates. */
export function unstorable(s: string): string | null {
  if (s.includes('\u0000')) return 'must not contain the NUL character (\\u0000)';
  if (LONE_SURROGATE.test(s)) return 'must not contain a lone UTF-16 surrogate (not valid Unicode)';
  return null;
}

/**
 * Every string (and key) in `value` that Postgres cannot store, with its dotted path under `root`.
 * Iterative, so it is safe on any depth; stops after `max` findings.
 */
export function unstorableStrings(value: unknown, root: string, max = 10): FieldError[] {
  const found: FieldError[] = [];
  const stack: [unknown, string][] = [[value, root]];
  const join = (p: string, k: string) => (p ? `${p}.${k}` : k);
  while (stack.length && found.length < max) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'string') {
      const reason = unstorable(v);
      if (reason) found.push({ field: path || 'body', reason: `${path || 'body'} ${reason}` });
    } else if (typeof v === 'object' && v !== null) {
      for (const [k, child] of Object.entries(v)) {
        const keyReason = unstorable(k);
        if (keyReason) {
          found.push({ field: path || 'body', reason: `a field name ${keyReason}` });
          continue;
        }
        stack.push([child, join(path, k)]);
      }
    }
  }
  return found;
}
