import { categoryCovers } from '@app/contracts';
import { RouteMatch, RouteQuery } from './routing.repository';

/**
 * The best of a district's active rules (with their active units) for an order: priority, then the
 * more specific (category, then street, then request type, urgency and flag counted together), then
 * the lowest id for a stable answer. A rule's category prefix covers the code itself and the codes
 * below it (`env` covers `env.noise`, not `envoy`).
 */
export function bestRoute(candidates: readonly RouteMatch[], q: RouteQuery): RouteMatch | null {
  let best: RouteMatch | null = null;
  for (const c of candidates) {
    if (!applies(c, q)) continue;
    if (!best || better(c, best)) best = c;
  }
  return best;
}

function applies({ rule: r }: RouteMatch, q: RouteQuery): boolean {
  return (
    r.active &&
    r.districtCode === q.districtCode &&
    (r.categoryPrefix === null || categoryCovers(r.categoryPrefix, q.categoryCode)) &&
    (r.streetCode === null || r.streetCode === q.streetCode) &&
    (r.requestType === null || r.requestType === q.requestType) &&
    (r.urgency === null || r.urgency === q.urgency) &&
    (r.flag === null || q.flags.includes(r.flag))
  );
}

function better({ rule: a }: RouteMatch, { rule: b }: RouteMatch): boolean {
  if (a.priority !== b.priority) return a.priority > b.priority;
  const category = Number(a.categoryPrefix !== null) - Number(b.categoryPrefix !== null);
  if (category !== 0) return category > 0;
  const street = Number(a.streetCode !== null) - Number(b.streetCode !== null);
  if (street !== 0) return street > 0;
  const rest = narrowing(a) - narrowing(b);
  if (rest !== 0) return rest > 0;
  return a.id.toLowerCase() < b.id.toLowerCase();
}

function narrowing(r: RouteMatch['rule']): number {
  return Number(r.requestType !== null) + Number(r.urgency !== null) + Number(r.flag !== null);
}
