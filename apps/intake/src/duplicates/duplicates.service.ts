import { TicketFlag } from '@app/contracts';
import { CLOCK, Clock } from '@app/platform';
import { Inject, Injectable } from '@nestjs/common';
import { cosine, tokens } from '../classification/text';
import { IntakeConfig } from '../intake.config';
import { INTAKE_CONFIG } from '../intake.tokens';
import { rootOf } from '../taxonomy/taxonomy.data';
import { DuplicatesRepository, MatchRow, MatchScope } from './duplicates.repository';

export interface MatterProbe {
  content: string;
  categoryCode?: string;
  districtCode: string;
  streetCode?: string | null;
  lat?: number | null;
  lng?: number | null;
  phoneHash?: string | null;
}

export interface DuplicateCandidate {
  id: string;
  orderNo: string;
  categoryCode: string;
  address: string;
  acceptedAt: string;
  citizenCount: number;
  progress: string;
  /** Text similarity 0..1 (cosine of jieba words). */
  similarity: number;
  /** How the place matched: same street, within the radius, or only the same district. */
  nearby: 'street' | 'radius' | 'district';
}

/** Orders looked at per check (the newest open ones of the district in the window that share a word and can be the same matter). */
const SCAN_LIMIT = 500;

/** A caller's earlier orders looked at per check (the newest in the window). */
const CALLER_LIMIT = 50;

/** How far below the threshold Postgres's filter stops (the decision itself is made here, on the same value). */
const SIMILARITY_SLACK = 0.001;

/** Texts whose words are kept in memory (the submission cuts a text once for the check and the stored row). */
const WORDS_MEMO = 256;

/** Metres between two WGS-84 points (haversine). */
export function distanceM(aLat: number, aLng: number, bLat: number, bLng: number): number {
  const rad = Math.PI / 180;
  const dLat = (bLat - aLat) * rad;
  const dLng = (bLng - aLng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(aLat * rad) * Math.cos(bLat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.sqrt(h));
}

/**
 * 重复件与合并: finds open orders on the same matter (similar words, same category root when one is
 * known, nearby, within the window) to offer the operator a merge, and decides the flags of a new
 * order: repeat (一人重复投诉: the same phone on the same matter in the window) and concentrated
 * (多人集中投诉: at least CONCENTRATED_MIN_CITIZENS distinct citizens on the same matter).
 */
@Injectable()
export class DuplicatesService {
  private readonly memo = new Map<string, string[]>();

  constructor(
    private readonly repo: DuplicatesRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(INTAKE_CONFIG) private readonly config: IntakeConfig,
  ) {}

  private since(): Date {
    return new Date(this.clock.now().getTime() - this.config.DUPLICATE_WINDOW_DAYS * 86_400_000);
  }

  /**
   * The words the check compares (jieba, `tokens`): stored with every order (`match_words`) so that
   * no candidate's text is cut again. The last few texts are kept, so a submission cuts once.
   */
  wordsOf(content: string): string[] {
    let words = this.memo.get(content);
    if (!words) {
      words = tokens(content);
      if (this.memo.size >= WORDS_MEMO) this.memo.delete(this.memo.keys().next().value!);
      this.memo.set(content, words);
    }
    return words;
  }

  private wordsOfRow(t: MatchRow): string[] {
    return t.words ?? tokens(t.content ?? '');
  }

  /** Open orders on the same matter, most similar first (at most `limit`). */
  async candidates(p: MatterProbe, limit = 5): Promise<DuplicateCandidate[]> {
    return (await this.sameMatter(p)).slice(0, limit).map((m) => m.candidate);
  }

  /** Every open order on the same matter, most similar first, with its row as read. */
  private async sameMatter(p: MatterProbe): Promise<{ candidate: DuplicateCandidate; row: MatchRow }[]> {
    const words = this.wordsOf(p.content);
    return this.matching(p, words, await this.repo.openSimilar(this.scopeOf(p), this.since(), words, SCAN_LIMIT, this.floor()));
  }

  /**
   * No word in common = similarity 0: only the orders sharing a word can match; Postgres scores them
   * and sends back only those that can reach the threshold (the floor is just below it: `match`
   * decides on the rounded similarity).
   */
  private floor(): number {
    return this.config.DUPLICATE_MIN_SIMILARITY - SIMILARITY_SLACK;
  }

  /** Of the open orders read, those `match` accepts, most similar first. */
  private matching(p: MatterProbe, words: string[], open: MatchRow[]): { candidate: DuplicateCandidate; row: MatchRow }[] {
    const matched: { candidate: DuplicateCandidate; row: MatchRow }[] = [];
    for (const row of open) {
      const candidate = this.match(p, words, row);
      if (candidate) matched.push({ candidate, row });
    }
    return matched.sort((a, b) => b.candidate.similarity - a.candidate.similarity);
  }

  /** The orders `match` can accept, as the repository filters them before scoring (a superset: `match` decides). */
  private scopeOf(p: MatterProbe): MatchScope {
    return {
      districtCode: p.districtCode,
      categoryRoot: p.categoryCode ? rootOf(p.categoryCode) : null,
      near: p.lat != null && p.lng != null ? { lat: p.lat, lng: p.lng, radiusM: this.config.DUPLICATE_RADIUS_M } : null,
      streetCode: p.streetCode || null,
    };
  }

  /** The same caller's earlier orders (not merged contacts) on the same matter in the window. */
  async sameCaller(p: MatterProbe): Promise<MatchRow[]> {
    if (!p.phoneHash) return [];
    const words = this.wordsOf(p.content);
    return (await this.repo.byPhoneHash(p.phoneHash, this.since(), CALLER_LIMIT)).filter((t) => this.onSameMatter(p, words, t));
  }

  /**
   * The flags a new order gets from the orders before it: repeat from the same caller's orders
   * (`sameCaller`), concentrated from the open orders on the same matter and their citizens
   * (`sameMatter`), decided as those decide them but read in one statement (`similarAndByPhone`):
   * every order submitted makes this check, and a statement costs Postgres about 0.2 ms of CPU and
   * intake a round trip.
   */
  async flagsFor(p: MatterProbe): Promise<TicketFlag[]> {
    const words = this.wordsOf(p.content);
    const phone = p.phoneHash ? { hash: p.phoneHash, limit: CALLER_LIMIT } : null;
    const read = await this.repo.similarAndByPhone(this.scopeOf(p), this.since(), words, SCAN_LIMIT, this.floor(), phone);
    const flags: TicketFlag[] = [];
    if (read.byPhone.some((t) => this.onSameMatter(p, words, t))) flags.push(TicketFlag.Repeat);
    const similar = this.matching(p, words, read.similar);
    if (similar.length) {
      const citizens = similar.flatMap((s) => s.row.citizens ?? []);
      if (this.countCitizens([...citizens, p.phoneHash ?? null]) >= this.config.CONCENTRATED_MIN_CITIZENS) {
        flags.push(TicketFlag.Concentrated);
      }
    }
    return flags;
  }

  /** Distinct phones; every anonymous citizen counts as one more. */
  countCitizens(hashes: (string | null)[]): number {
    return new Set(hashes.filter((h) => h !== null)).size + hashes.filter((h) => h === null).length;
  }

  private onSameMatter(p: MatterProbe, words: string[], t: MatchRow): boolean {
    if (p.categoryCode && rootOf(p.categoryCode) !== rootOf(t.categoryCode)) return false;
    return cosine(words, this.wordsOfRow(t)) >= this.config.DUPLICATE_MIN_SIMILARITY;
  }

  private match(p: MatterProbe, words: string[], t: MatchRow): DuplicateCandidate | null {
    if (p.categoryCode && rootOf(p.categoryCode) !== rootOf(t.categoryCode)) return null;
    const similarity = Math.round((t.similarity ?? cosine(words, this.wordsOfRow(t))) * 1000) / 1000;
    if (similarity < this.config.DUPLICATE_MIN_SIMILARITY) return null;
    let nearby: DuplicateCandidate['nearby'] | null = null;
    if (p.lat != null && p.lng != null && t.lat !== null && t.lng !== null) {
      nearby = distanceM(p.lat, p.lng, t.lat, t.lng) <= this.config.DUPLICATE_RADIUS_M ? 'radius' : null;
    } else if (p.streetCode && t.streetCode) {
      nearby = p.streetCode === t.streetCode ? 'street' : null;
    } else {
      nearby = 'district';
    }
    if (!nearby) return null;
    return {
      id: t.id,
      orderNo: t.orderNo,
      categoryCode: t.categoryCode,
      address: t.address,
      acceptedAt: t.acceptedAt.toISOString(),
      citizenCount: t.citizenCount,
      progress: t.progress,
      similarity,
      nearby,
    };
  }
}
