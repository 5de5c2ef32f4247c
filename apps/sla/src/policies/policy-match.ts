import { categoryCovers } from '@app/contracts';
import { PolicyQuery } from './policies.repository';
import { SlaPolicy } from './sla-policy.entity';

/**
 * The best of the active policies for an order: priority, then the most specific (district, request
 * type, category, urgency and flag counted together), then the newest version, then the lowest id for
 * a stable answer. A policy's category prefix covers the code itself and the codes below it.
 */
export function bestPolicy(policies: readonly SlaPolicy[], q: PolicyQuery): SlaPolicy | null {
  let best: SlaPolicy | null = null;
  for (const p of policies) {
    if (!applies(p, q)) continue;
    if (!best || better(p, best)) best = p;
  }
  return best;
}

function applies(p: SlaPolicy, q: PolicyQuery): boolean {
  // The query's values are the event's strings; the policy's, the same values typed by their enums.
  const requestType: string | null = p.requestType;
  const urgency: string | null = p.urgency;
  return (
    p.active &&
    (p.districtCode === null || p.districtCode === q.districtCode) &&
    (requestType === null || requestType === q.requestType) &&
    (p.categoryPrefix === null || categoryCovers(p.categoryPrefix, q.categoryCode)) &&
    (urgency === null || urgency === q.urgency) &&
    (p.flag === null || q.flags.includes(p.flag))
  );
}

function better(a: SlaPolicy, b: SlaPolicy): boolean {
  if (a.priority !== b.priority) return a.priority > b.priority;
  const specific = specificity(a) - specificity(b);
  if (specific !== 0) return specific > 0;
  if (a.version !== b.version) return a.version > b.version;
  return a.id.toLowerCase() < b.id.toLowerCase();
}

/** How many of the policy's conditions are set. */
export function specificity(p: SlaPolicy): number {
  return [p.districtCode, p.requestType, p.categoryPrefix, p.urgency, p.flag].filter((c) => c !== null).length;
}
