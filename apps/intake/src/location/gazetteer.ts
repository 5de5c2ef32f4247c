import { CITY_PLACES, PlaceIndex } from '@app/contracts';

/**
 * The city's place list as intake uses it: the one list in @app/contracts (districts → streets and
 * townships → communities and villages), indexed by code.
 */
export const PLACE_INDEX = new PlaceIndex(CITY_PLACES);

/**
 * The place as people read it, down to the community when known (`城西区胜利路街道胜利路社区`),
 * else the street or the district; null when the district is unknown.
 */
export function placeNameOf(districtCode: string, streetCode: string | null, communityCode: string | null = null): string | null {
  const c = communityCode ? PLACE_INDEX.community(communityCode) : undefined;
  if (c) return `${c.district.nameZh}${c.street.nameZh}${c.community.nameZh}`;
  const s = streetCode ? PLACE_INDEX.street(streetCode) : undefined;
  if (s) return `${s.district.nameZh}${s.street.nameZh}`;
  return PLACE_INDEX.district(districtCode)?.nameZh ?? null;
}
