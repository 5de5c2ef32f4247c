import { createHash } from 'node:crypto';

/**
 * The organisation's unit id for a unit code (dispatch's `unitIdFor`: a v5-layout uuid of the code;
 * `POST /org/units` gives every unit this id). Notify needs it for one unit only: a district's hotline
 * centre, whose unit_head is the district leader (双交办, escalations). Apps do not import each other.
 */
export function unitIdFor(code: string): string {
  const h = createHash('sha1').update(`jiesu-org-unit:${code}`).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

export const districtCentreId = (district: string) => unitIdFor(`${district}-centre`);
