import { Response } from 'express';

export type Open311Format = 'xml' | 'json';

/** `services/heating.fee.json` → `{ name: 'heating.fee', format: 'json' }` (the format is the last suffix). */
export function splitFormat(file: string): { name: string; format: Open311Format | null } {
  const i = file.lastIndexOf('.');
  if (i <= 0) return { name: file, format: null };
  const ext = file.slice(i + 1).toLowerCase();
  return { name: file.slice(0, i), format: ext === 'xml' || ext === 'json' ? ext : null };
}

/** What XML 1.0 cannot hold at all (control characters but tab, LF, CR; U+FFFE/U+FFFF; lone surrogates): dropped. */
const NOT_XML =
  // eslint-disable-next-line no-control-regex -- stripping control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export const escapeXml = (s: string) =>
  s.replace(NOT_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const escape = escapeXml;

/** One value as XML: objects become child elements, arrays repeat `itemName` (or the parent's singular). */
function xmlOf(name: string, v: unknown, itemNames: Record<string, string>): string {
  if (v === null || v === undefined) return `<${name}/>`;
  if (Array.isArray(v)) {
    const item = itemNames[name] ?? 'item';
    return `<${name}>${v.map((x) => xmlOf(item, x, itemNames)).join('')}</${name}>`;
  }
  if (typeof v === 'object') {
    return `<${name}>${Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => xmlOf(k, x, itemNames))
      .join('')}</${name}>`;
  }
  return `<${name}>${escape(typeof v === 'string' ? v : JSON.stringify(v))}</${name}>`;
}

/** The element names GeoReport v2 uses for list items. */
const ITEMS: Record<string, string> = {
  services: 'service',
  service_requests: 'request',
  attributes: 'attribute',
  values: 'value',
  errors: 'error',
  endpoints: 'endpoint',
  formats: 'format',
};

export function toXml(root: string, body: unknown): string {
  return `<?xml version="1.0" encoding="utf-8"?>${xmlOf(root, body, ITEMS)}`;
}

/** Send a GeoReport body as JSON or as XML under `root` (an array becomes repeated items). */
export function send(res: Response, format: Open311Format, status: number, root: string, body: unknown): void {
  res.status(status);
  if (format === 'json') {
    res.type('application/json; charset=utf-8').send(JSON.stringify(body));
  } else {
    res.type('text/xml; charset=utf-8').send(toXml(root, body));
  }
}
