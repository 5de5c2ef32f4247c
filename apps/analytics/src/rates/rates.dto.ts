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
