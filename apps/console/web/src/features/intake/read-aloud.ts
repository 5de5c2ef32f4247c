/**
 * The citizen's status token as the operator reads it out: groups of four, so "第三组" can be said and
 * repeated (22 characters in one run are easy to misread). The spaces are for the eye only: what is
 * copied is the token itself.
 */
export function groupForReading(token: string, size = 4): string[] {
  const clean = token.replace(/\s+/g, '');
  const out: string[] = [];
  for (let i = 0; i < clean.length; i += size) out.push(clean.slice(i, i + size));
  return out;
}
