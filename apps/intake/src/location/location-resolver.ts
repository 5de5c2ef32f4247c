import { DistrictPlace, GAZETTEER, Place } from './gazetteer';

export interface ResolvedLocation {
  districtCode: string | null;
  streetCode: string | null;
}

function mentions(address: string, p: Place): number {
  // The longest name or alias found counts: 胜利路街道 beats 胜利路.
  return Math.max(0, ...[p.name, ...p.aliases].filter((n) => address.includes(n)).map((n) => n.length));
}

/**
 * 地址解析: place an address in a district and street/township from the gazetteer's names, short
 * forms and address keywords. A district the caller gave is kept and only the street is looked for
 * inside it. A street named in the text also places its district. Ambiguity (two districts, or two
 * streets of equal weight) resolves nothing rather than guessing: those orders go to triage.
 */
export class LocationResolver {
  constructor(private readonly gazetteer: DistrictPlace[] = GAZETTEER) {}

  resolve(address: string, districtCode?: string): ResolvedLocation {
    const text = address.normalize('NFKC');
    const districtHits = this.gazetteer.filter((d) => mentions(text, d) > 0);
    // Streets are looked for in the district given, else in the one the text names, else anywhere.
    const scope = districtCode
      ? this.gazetteer.filter((d) => d.code === districtCode)
      : districtHits.length === 1
        ? districtHits
        : this.gazetteer;
    const streetHits = scope
      .flatMap((d) => d.streets.map((s) => ({ d, s, w: mentions(text, s) })))
      .filter((h) => h.w > 0)
      .sort((a, b) => b.w - a.w);
    const street = streetHits.length && (streetHits.length === 1 || streetHits[0].w > streetHits[1].w) ? streetHits[0] : null;
    if (street && (districtCode || districtHits.length <= 1)) return { districtCode: street.d.code, streetCode: street.s.code };
    if (districtCode) return { districtCode, streetCode: null };
    if (districtHits.length === 1) return { districtCode: districtHits[0].code, streetCode: null };
    return { districtCode: null, streetCode: null };
  }
}
