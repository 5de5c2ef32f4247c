import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator';

export const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
export const PERIODS = ['day', 'week', 'month', 'custom'] as const;
export type PeriodKind = (typeof PERIODS)[number];

/** A period: `custom` from–to (both required), or the day, ISO week or month containing `from`. */
export class PeriodQuery {
  @ApiPropertyOptional({ enum: PERIODS, default: 'custom', description: 'day / week (Monday–Sunday) / month containing `from`, or custom' })
  @IsOptional()
  @IsIn(PERIODS, { message: `period must be one of: ${PERIODS.join(', ')}` })
  period?: PeriodKind;

  @ApiProperty({ example: '2026-11-01', description: 'First day of the period (city time zone), inclusive' })
  @Matches(DATE, { message: 'from must be a date YYYY-MM-DD' })
  from: string;

  @ApiPropertyOptional({ example: '2026-11-30', description: 'Last day, inclusive: required for custom, not allowed otherwise' })
  @IsOptional()
  @Matches(DATE, { message: 'to must be a date YYYY-MM-DD' })
  to?: string;

  @ApiPropertyOptional({ example: '630104' })
  @IsOptional()
  @Matches(/^\d{6}$/, { message: 'districtCode must be a six-digit GB/T 2260 code' })
  districtCode?: string;
}

export class RatesQuery extends PeriodQuery {}

/** Dimensions a breakdown may use (the rollup's dimension sets). */
export const BREAKDOWN_DIMENSIONS = ['district', 'street', 'unit', 'category', 'channel', 'requestType'] as const;
export type BreakdownDimension = (typeof BREAKDOWN_DIMENSIONS)[number];

export class BreakdownQuery extends PeriodQuery {
  @ApiProperty({ enum: BREAKDOWN_DIMENSIONS })
  @IsIn(BREAKDOWN_DIMENSIONS, { message: `dimension must be one of: ${BREAKDOWN_DIMENSIONS.join(', ')}` })
  dimension: BreakdownDimension;
}

export class RankingQuery {
  @ApiProperty({ example: '2026-11', description: 'The month ranked (city time zone)' })
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'month must be YYYY-MM' })
  month: string;

  @ApiPropertyOptional({ enum: ['unit', 'street'], default: 'unit' })
  @IsOptional()
  @IsIn(['unit', 'street'], { message: 'kind must be one of: unit, street' })
  kind?: 'unit' | 'street';

  @ApiPropertyOptional({ example: '630104' })
  @IsOptional()
  @Matches(/^\d{6}$/, { message: 'districtCode must be a six-digit GB/T 2260 code' })
  districtCode?: string;
}

export class TopProblemsQuery extends PeriodQuery {
  @ApiPropertyOptional({ default: 10, maximum: 50 })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === undefined ? undefined : Number(value)))
  @IsInt({ message: 'limit must be an integer' })
  @Min(1)
  @Max(50, { message: 'limit may be at most 50' })
  limit?: number;
}

export class UnitParam {
  @IsUUID('all', { message: 'unitId must be a uuid' })
  unitId: string;
}

export interface Rate {
  numerator: number;
  denominator: number;
  /** Percent with two decimals; null when nothing was counted. */
  percent: number | null;
}

export type RateName = 'response' | 'resolution' | 'satisfaction' | 'onTime' | 'rework';
export type Rates = Record<RateName, Rate>;

export interface Volumes {
  /** 来电/来件: accepted + answered at first contact + contacts merged into an open order. */
  contacts: number;
  accepted: number;
  answeredAtFirstContact: number;
  merged: number;
  dispatched: number;
  replied: number;
  closed: number;
  callbacks: number;
  callbacksFailed: number;
}

export interface RatesView {
  period: { kind: PeriodKind; from: string; to: string; timeZone: string };
  districtCode: string | null;
  volumes: Volumes;
  /** Every event the platform published in the period, by type (from the daily rollup). */
  events: Record<string, number>;
  rates: Rates;
  /** 响应率 / 解决率 / 满意率 labels for reports. */
  labels: Record<RateName, { zh: string; en: string }>;
}

export interface BreakdownRow {
  key: string;
  label: string;
  /** District of the row (street, unit and district breakdowns). */
  districtCode: string | null;
  volumes: Volumes;
  rates: Rates;
}

export interface BreakdownView {
  period: { kind: PeriodKind; from: string; to: string; timeZone: string };
  districtCode: string | null;
  dimension: BreakdownDimension;
  rows: BreakdownRow[];
}

export interface RankedRow extends BreakdownRow {
  rank: number;
  /** Composite score 0–100 (综合得分), weights from RATE_SCORE_WEIGHTS. */
  score: number;
}

export interface RankingView {
  month: string;
  kind: 'unit' | 'street';
  districtCode: string | null;
  weights: Partial<Record<RateName, number>>;
  minOrders: number;
  ranked: RankedRow[];
  /** Below RANKING_MIN_ORDERS dispatched orders: listed, not ranked. */
  unranked: BreakdownRow[];
  /** 红榜 best, 黑榜 worst. */
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

/** The figures whose orders can be listed: each rate (its denominator's orders) and each volume. */
export const FIGURES = [
  'response',
  'resolution',
  'satisfaction',
  'onTime',
  'rework',
  'accepted',
  'dispatched',
  'replied',
  'closed',
  'callbacks',
  'callbacksFailed',
] as const;
export type Figure = (typeof FIGURES)[number];

const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));

/** The orders behind one figure of the dashboard, in one place (district, street, unit) and period. */
export class FigureOrdersQuery extends PeriodQuery {
  @ApiProperty({ enum: FIGURES, description: 'A rate (the orders of its denominator) or a volume' })
  @IsIn(FIGURES, { message: `figure must be one of: ${FIGURES.join(', ')}` })
  figure: Figure;

  @ApiPropertyOptional({ example: '630104004', description: 'Only orders of this street or township' })
  @IsOptional()
  @Matches(/^\d{9}$/, { message: 'streetCode must be a nine-digit township code' })
  streetCode?: string;

  @ApiPropertyOptional({ description: 'Only orders this unit answers for (a callback: the unit whose reply was called back)' })
  @IsOptional()
  @IsUUID('all', { message: 'unitId must be a uuid' })
  unitId?: string;

  @ApiPropertyOptional({
    description: 'Only the orders that pull the figure down: not responded in time, not resolved, not (fully) satisfied, late, reworked',
  })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'against must be true or false' })
  against?: 'true' | 'false';

  @ApiPropertyOptional({ default: 1 })
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'page must be an integer' })
  @Min(1)
  page?: number;

  @ApiPropertyOptional({ default: 50, maximum: 200 })
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'pageSize must be an integer' })
  @Min(1)
  @Max(200, { message: 'pageSize may be at most 200' })
  pageSize?: number;
}

export interface FigureCallback {
  cycle: number;
  completedAt: string;
  failed: boolean;
  contacted: boolean | null;
  resolved: boolean | null;
  /** satisfied / basically_satisfied / unsatisfied. */
  satisfaction: string | null;
  /** What the citizen said on the callback (or why it failed). */
  comment: string | null;
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
  /** The instant the figure counts the order on (dispatch, first reply, callback...). */
  at: string;
  /** Its share of the rate's numerator (0–1; a basically-satisfied answer may count half); 1 for a volume. */
  counted: number;
  /** It pulls the figure down (see `against` in the query). */
  against: boolean;
  /** The public reply the citizen was given (never the citizen's own words or data). */
  replyText: string | null;
  callback: FigureCallback | null;
}

export interface FigureOrdersView {
  period: { kind: PeriodKind; from: string; to: string; timeZone: string };
  districtCode: string | null;
  figure: Figure;
  total: number;
  items: FigureOrder[];
}

export const TREND_GRANULARITIES = ['day', 'week', 'month'] as const;
export type TrendGranularity = (typeof TREND_GRANULARITIES)[number];

export class TrendQuery extends PeriodQuery {
  @ApiPropertyOptional({ enum: TREND_GRANULARITIES, default: 'day' })
  @IsOptional()
  @IsIn(TREND_GRANULARITIES, { message: `granularity must be one of: ${TREND_GRANULARITIES.join(', ')}` })
  granularity?: TrendGranularity;
}

export interface TrendPoint {
  /** First and last day of the bucket (clipped to the period). */
  from: string;
  to: string;
  volumes: Volumes;
  rates: Rates;
}

export interface TrendView {
  period: { kind: PeriodKind; from: string; to: string; timeZone: string };
  districtCode: string | null;
  granularity: TrendGranularity;
  points: TrendPoint[];
}
