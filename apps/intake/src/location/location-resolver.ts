import { CITY_PLACES, CommunityPlace, DistrictPlace, PlaceEntry, StreetPlace } from '@app/contracts';

export interface ResolvedLocation {
  districtCode: string | null;
  streetCode: string | null;
  communityCode: string | null;
}

function mentions(address: string, p: PlaceEntry): number {
  // The longest name or alias found counts: 胜利路街道 beats 胜利路.
  return Math.max(0, ...[p.nameZh, ...p.aliases].filter((n) => address.includes(n)).map((n) => n.length));
}

/** The one hit that outweighs every other, or null (none, or a tie at the top). */
function best<T extends { w: number }>(hits: T[]): T | null {
  const sorted = hits.filter((h) => h.w > 0).sort((a, b) => b.w - a.w);
  return sorted.length && (sorted.length === 1 || sorted[0].w > sorted[1].w) ? sorted[0] : null;
}

const NOTHING: ResolvedLocation = { districtCode: null, streetCode: null, communityCode: null };

/**
 * 地址解析: place an address in a district, street/township and community/village from the place
 * list's names, short forms and address keywords. A district the caller gave is kept and only the
 * street and community are looked for inside it. A street named in the text also places its
 * district; a community named in the text (胜利路社区) or a keyword that lies in exactly one community
 * (东交通巷) places its street when the text names none, and is kept only when it lies in the street
 * found. Ambiguity (two districts, two streets or two communities of equal weight) resolves nothing
 * at that level rather than guessing: orders without a district go to the city's triage queue.
 */
export class LocationResolver {
  constructor(private readonly places: DistrictPlace[] = CITY_PLACES) {}

  resolve(address: string, districtCode?: string): ResolvedLocation {
    const text = address.normalize('NFKC');
    const districtHits = this.places.filter((d) => mentions(text, d) > 0);
    // Streets are looked for in the district given, else in the one the text names, else anywhere.
    const scope = districtCode
      ? this.places.filter((d) => d.code === districtCode)
      : districtHits.length === 1
        ? districtHits
        : this.places;
    const streetHits = scope.flatMap((d) => d.streets.map((s) => ({ d, s, w: mentions(text, s) })));
    let street: { d: DistrictPlace; s: StreetPlace } | null = best(streetHits);
    const communityHits = scope.flatMap((d) => d.streets.flatMap((s) => s.communities.map((c) => ({ d, s, c, w: mentions(text, c) }))));
    let community: CommunityPlace | null = null;
    if (street) {
      const found = street;
      community = best(communityHits.filter((h) => h.s === found.s))?.c ?? null;
    } else if (!streetHits.some((h) => h.w > 0)) {
      // No street named at all: a community the text names places its street.
      const hit = best(communityHits);
      if (hit) {
        street = hit;
        community = hit.c;
      }
    }
    if (street && (districtCode || districtHits.length <= 1)) {
      return { districtCode: street.d.code, streetCode: street.s.code, communityCode: community?.code ?? null };
    }
    if (districtCode) return { ...NOTHING, districtCode };
    if (districtHits.length === 1) return { ...NOTHING, districtCode: districtHits[0].code };
    return NOTHING;
  }
}
