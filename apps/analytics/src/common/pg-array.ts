/**
 * A Postgres array literal of strings or integers (each string quoted, `"` and `\\` escaped): what
 * `pg` would send for the array, built without its per-element escaping (the replay sends millions).
 */
export function arrayLiteral(values: readonly (string | number)[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (i) out += ',';
    if (typeof v === 'number') {
      if (!Number.isInteger(v)) throw new Error(`arrayLiteral takes integers, not ${v}`);
      out += String(v);
    } else out += `"${/["\\]/.test(v) ? v.replace(/(["\\])/g, '\\$1') : v}"`;
  }
  return `${out}}`;
}
