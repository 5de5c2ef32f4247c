/**
 * What analytics answers (its controllers return interfaces, so the OpenAPI documents carry the
 * queries but not these bodies): apps/analytics/src/rates/rates.dto.ts, hotspots.dto.ts, reports.dto.ts.
 */
export type RateName = 'response' | 'resolution' | 'satisfaction' | 'onTime' | 'rework';
export const RATE_NAMES: RateName[] = ['response', 'resolution', 'satisfaction', 'onTime', 'rework'];
export type VolumeName = 'accepted' | 'dispatched' | 'replied' | 'closed' | 'callbacks' | 'callbacksFailed';
export const VOLUME_NAMES: VolumeName[] = ['accepted', 'dispatched', 'replied', 'closed', 'callbacks', 'callbacksFailed'];
export type Figure = RateName | VolumeName;
export type PeriodKind = 'day' | 'week' | 'month' | 'custom';

export interface Rate {
  numerator: number;
  denominator: number;
  percent: number | null;
}
export type Rates = Record<RateName, Rate>;
export type Volumes = Record<VolumeName | 'contacts' | 'answeredAtFirstContact' | 'merged', number>;

export interface PeriodView {
  kind: PeriodKind;
  from: string;
  to: string;
  timeZone: string;
}

export interface RatesView {
  period: PeriodView;
  districtCode: string | null;
  volumes: Volumes;
  rates: Rates;
}

export interface BreakdownRow {
  key: string;
  label: string;
  districtCode: string | null;
  volumes: Volumes;
  rates: Rates;
}
export interface BreakdownView {
  period: PeriodView;
  rows: BreakdownRow[];
}

export interface TrendPoint {
  from: string;
  to: string;
  volumes: Volumes;
  rates: Rates;
}
export interface TrendView {
  granularity: 'day' | 'week' | 'month';
  points: TrendPoint[];
}

export interface FigureOrder {
  ticketId: string;
  orderNo: string | null;
  districtCode: string;
  district: string;
  streetCode: string | null;
  unitId: string | null;
  unitName: string | null;
  categoryCode: string | null;
  category: string;
  at: string;
  counted: number;
  against: boolean;
  replyText: string | null;
  callback: {
    cycle: number;
    completedAt: string;
    failed: boolean;
    contacted: boolean | null;
    resolved: boolean | null;
    satisfaction: string | null;
    comment: string | null;
  } | null;
}
export interface FigureOrdersView {
  total: number;
  items: FigureOrder[];
}

export interface RankedRow extends BreakdownRow {
  rank: number;
  score: number;
}
export interface RankingView {
  month: string;
  kind: 'unit' | 'street';
  weights: Partial<Record<RateName, number>>;
  minOrders: number;
  ranked: RankedRow[];
  unranked: BreakdownRow[];
  redList: RankedRow[];
  blackList: RankedRow[];
}
export interface TopProblem {
  categoryCode: string;
  label: string;
  accepted: number;
  dispatched: number;
  callbacks: number;
  unresolved: number;
}

export type HotspotStatus = 'detected' | 'proposed' | 'dismissed';
export interface Hotspot {
  id: string;
  categoryCode: string;
  category: string;
  districtCode: string;
  streetCode: string | null;
  center: { lat: number; lng: number };
  radiusM: number;
  windowStart: string;
  windowEnd: string;
  ticketCount: number;
  previousCount: number;
  rising: boolean;
  seasonalYears: number;
  status: HotspotStatus;
  decidedBy: string | null;
  decidedAt: string | null;
}
export interface MapConfig {
  tileUrl: string | null;
  attribution: string | null;
  subdomains: string[];
}

export type ReportKind = 'daily' | 'weekly' | 'monthly';
export interface ReportSummary {
  id: string;
  kind: ReportKind;
  periodFrom: string;
  periodTo: string;
  districtCode: string | null;
  title: string;
  generatedAt: string;
  generatedBy: string;
  links: { html: string; xlsx: string; pdf: string };
}

/** The period a screen asks for: the day/week/month containing `from`, or from–to. */
export interface PeriodQuery {
  period: PeriodKind;
  from: string;
  to?: string;
}

/** GB/T 2260 districts of the demo city (analytics labels them the same way). */
export const DISTRICTS: { code: string; zh: string; en: string }[] = [
  { code: '630102', zh: '城东区', en: 'Chengdong' },
  { code: '630103', zh: '城中区', en: 'Chengzhong' },
  { code: '630104', zh: '城西区', en: 'Chengxi' },
  { code: '630105', zh: '城北区', en: 'Chengbei' },
  { code: '630106', zh: '湟中区', en: 'Huangzhong' },
  { code: '630121', zh: '大通回族土族自治县', en: 'Datong' },
  { code: '630123', zh: '湟源县', en: 'Huangyuan' },
];
