/**
 * A Postgres array literal of strings or integers (each string quoted, `"` and `\\` escaped): what
 * `pg` would send for the array, built without its per-element escaping (the replay sends millions).
 * Built with `join`, which makes one flat string: a string grown by `+=` element by element is a rope
 * of thousands of pieces that `pg` then flattens to measure it (`Buffer.byteLength`), at about 1 ms
 * for a column of 8,000 counters.
 */
export function arrayLiteral(values: readonly (string | number)[]): string {
  let quoted: string[] | undefined;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === 'number') {
      if (!Number.isInteger(v)) throw new Error(`arrayLiteral takes integers, not ${v}`);
      if (quoted) quoted[i] = String(v);
    } else {
      quoted ??= values.slice(0, i).map(String);
      quoted[i] = `"${/["\\]/.test(v) ? v.replace(/(["\\])/g, '\\$1') : v}"`;
    }
  }
  return `{${(quoted ?? values).join(',')}}`;
}
