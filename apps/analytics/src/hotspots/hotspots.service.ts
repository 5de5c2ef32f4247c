import { CategoryNames } from '@app/contracts';
import {
  CLOCK,
  Clock,
  districtScope,
  FieldValidationException,
  inDistrict,
  Outbox,
  Principal,
  TransactionHost,
  TxHost,
} from '@app/platform';
import { ConflictException, ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DateTime } from 'luxon';
import { randomUUID } from 'node:crypto';
import { ANALYTICS_CONFIG, AnalyticsConfig } from '../analytics.config';
import { CategoryNamesRepository } from '../categories/category-names.repository';
import { categoryZh } from '../common/labels';
import { MAX_PERIOD_DAYS } from '../rates/period';
import { Hotspot } from './hotspot.entity';
import { DetectHotspotsDto, HotspotListQuery, HotspotView, MapConfigView } from './hotspots.dto';
import { CellCount, HotspotsRepository, Windows } from './hotspots.repository';

const M_PER_DEG_LAT = 111_320;

/** The grid: square cells of `cellM` metres at the reference latitude. */
export function grid(cellM: number, refLat: number): { dLat: number; dLng: number } {
  return { dLat: cellM / M_PER_DEG_LAT, dLng: cellM / (M_PER_DEG_LAT * Math.cos((refLat * Math.PI) / 180)) };
}

/** Rising: at least half as many again as in the window before, and at least two more. */
export function isRising(n: number, prev: number): boolean {
  return n >= prev * 1.5 && n - prev >= 2;
}

function view(h: Hotspot, categories: ReadonlyMap<string, CategoryNames>): HotspotView {
  return {
    id: h.id,
    categoryCode: h.categoryCode,
    category: categoryZh(h.categoryCode, categories),
    districtCode: h.districtCode,
    streetCode: h.streetCode,
    center: { lat: h.centerLat, lng: h.centerLng },
    radiusM: h.radiusM,
    windowStart: h.windowStart.toISOString(),
    windowEnd: h.windowEnd.toISOString(),
    ticketCount: h.ticketCount,
    previousCount: h.previousCount,
    rising: h.rising,
    seasonalYears: h.seasonalYears,
    status: h.status,
    decidedBy: h.decidedBy,
    decidedAt: h.decidedAt?.toISOString() ?? null,
  };
}

/** Hotspots (热点): clusters by category and grid cell, rising trends, seasonal recurrence; 未诉先办 proposals. */
@Injectable()
export class HotspotsService {
  constructor(
    @Inject(TransactionHost) private readonly txHost: TxHost,
    private readonly hotspots: HotspotsRepository,
    private readonly categories: CategoryNamesRepository,
    private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ANALYTICS_CONFIG) private readonly config: AnalyticsConfig,
  ) {}

  mapConfig(): MapConfigView {
    const url = this.config.MAP_TILE_URL;
    return {
      tileUrl: url || null,
      attribution: this.config.MAP_TILE_ATTRIBUTION || null,
      subdomains: url.includes('{s}') ? ['a', 'b', 'c'] : [],
    };
  }

  async detect(user: Principal, q: DetectHotspotsDto): Promise<HotspotView[]> {
    const zone = this.config.CITY_TIME_ZONE;
    const from = DateTime.fromISO(q.from, { zone }).startOf('day');
    const to = DateTime.fromISO(q.to, { zone }).plus({ days: 1 }).startOf('day');
    if (!from.isValid || !to.isValid) throw new FieldValidationException([{ field: 'from', reason: 'from and to must be calendar dates' }]);
    if (to <= from) throw new FieldValidationException([{ field: 'to', reason: 'to is before from' }]);
    if (to.diff(from, 'days').days > MAX_PERIOD_DAYS) {
      throw new FieldValidationException([{ field: 'to', reason: `the window may span at most ${MAX_PERIOD_DAYS} days` }]);
    }
    const scope = districtScope(user);
    if (q.districtCode && scope && !scope.includes(q.districtCode)) throw new ForbiddenException(`not your district: ${q.districtCode}`);
    const districts = q.districtCode ? [q.districtCode] : scope;
    const length = to.diff(from);
    const w: Windows = {
      from: from.toJSDate(),
      to: to.toJSDate(),
      prevFrom: from.minus(length).toJSDate(),
      y1From: from.minus({ years: 1 }).toJSDate(),
      y1To: to.minus({ years: 1 }).toJSDate(),
      y2From: from.minus({ years: 2 }).toJSDate(),
      y2To: to.minus({ years: 2 }).toJSDate(),
    };
    const cellM = this.config.HOTSPOT_CELL_M;
    const g = grid(cellM, this.config.HOTSPOT_REF_LAT);
    const min = q.minCount ?? this.config.HOTSPOT_MIN_COUNT;
    const cells = await this.hotspots.cells(w, g.dLat, g.dLng, min, q.categoryCode ?? null, districts);
    const now = this.clock.now();
    const stored = await this.hotspots.upsertAll(cells.map((c) => this.toHotspot(c, w, cellM, g, min, now)));
    return this.views(stored);
  }

  private toHotspot(c: CellCount, w: Windows, cellM: number, g: { dLat: number; dLng: number }, min: number, now: Date): Hotspot {
    return Object.assign(new Hotspot(), {
      id: randomUUID(),
      categoryCode: c.category_code,
      districtCode: c.district_code,
      streetCode: c.street_code,
      cellKey: `${cellM}:${c.row}:${c.col}`,
      centerLat: Math.round((c.row + 0.5) * g.dLat * 1e6) / 1e6,
      centerLng: Math.round((c.col + 0.5) * g.dLng * 1e6) / 1e6,
      // The circle around the cell's centre that covers the whole cell.
      radiusM: Math.ceil((cellM * Math.SQRT2) / 2),
      windowStart: w.from,
      windowEnd: w.to,
      ticketCount: c.n,
      previousCount: c.prev,
      rising: isRising(c.n, c.prev),
      seasonalYears: (c.y1 >= min ? 1 : 0) + (c.y2 >= min ? 1 : 0),
      status: 'detected',
      detectedAt: now,
      decidedBy: null,
      decidedAt: null,
    } satisfies Hotspot);
  }

  async list(user: Principal, q: HotspotListQuery): Promise<HotspotView[]> {
    const scope = districtScope(user);
    if (q.districtCode && scope && !scope.includes(q.districtCode)) throw new ForbiddenException(`not your district: ${q.districtCode}`);
    const rows = await this.hotspots.list(q.status ?? null, q.districtCode ? [q.districtCode] : scope, q.limit ?? 50);
    return this.views(rows);
  }

  /** The hotspots as shown, each category named as the console names it (the maintained names read once). */
  private async views(hotspots: Hotspot[]): Promise<HotspotView[]> {
    const categories = await this.categories.namesFor(hotspots.map((h) => h.categoryCode));
    return hotspots.map((h) => view(h, categories));
  }

  /** A supervisor confirms: the proposal goes to intake as hotspot.proposed.v1 (through the outbox, with the decision). */
  async confirm(user: Principal, id: string): Promise<HotspotView> {
    return this.decide(user, id, 'proposed');
  }

  async dismiss(user: Principal, id: string): Promise<HotspotView> {
    return this.decide(user, id, 'dismissed');
  }

  private decide(user: Principal, id: string, status: 'proposed' | 'dismissed'): Promise<HotspotView> {
    return this.txHost.withTransaction(async () => {
      const h = await this.hotspots.lock(id);
      if (!h || !inDistrict(user, h.districtCode)) throw new NotFoundException(`no hotspot ${id}`);
      if (h.status !== 'detected') throw new ConflictException(`hotspot ${id} is already ${h.status}`);
      const now = this.clock.now();
      await this.hotspots.decide(id, status, user.id, now);
      if (status === 'proposed') {
        await this.outbox.publish('hotspot.proposed.v1', {
          district: h.districtCode,
          ticketId: null,
          occurredAt: now,
          data: {
            hotspotId: h.id,
            categoryCode: h.categoryCode,
            ...(h.streetCode ? { streetCode: h.streetCode } : {}),
            area: { lat: h.centerLat, lng: h.centerLng, radiusM: h.radiusM },
            ticketCount: h.ticketCount,
            windowStart: h.windowStart.toISOString(),
            windowEnd: h.windowEnd.toISOString(),
            proposedAt: now.toISOString(),
          },
        });
      }
      const [decided] = await this.views([{ ...h, status, decidedBy: user.id, decidedAt: now }]);
      return decided;
    });
  }
}
