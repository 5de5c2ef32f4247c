import { NotAcceptedReason } from '@app/contracts';
import { ApiProperty, ApiPropertyOptional } from '@app/platform';
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

/**
 * Dimensions a breakdown may use (the rollup's dimension sets). `notAcceptedReason`: the contacts not
 * accepted (不予受理) by their reason, and nothing else.
 */
export const BREAKDOWN_DIMENSIONS = ['district', 'street', 'unit', 'category', 'channel', 'requestType', 'notAcceptedReason'] as const;
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

export class Rate {
  @ApiProperty() numerator: number;
  @ApiProperty() denominator: number;
  /** Percent with two decimals; null when nothing was counted. */
  @ApiProperty({ type: Number, nullable: true, description: 'Percent with two decimals; null when nothing was counted' })
  percent: number | null;
}

export type RateName = 'response' | 'resolution' | 'satisfaction' | 'onTime' | 'rework';

/** 响应率 / 解决率 / 满意率, on-time and rework rates. */
export class Rates implements Record<RateName, Rate> {
  @ApiProperty({ type: Rate, description: '响应率' }) response: Rate;
  @ApiProperty({ type: Rate, description: '解决率' }) resolution: Rate;
  @ApiProperty({ type: Rate, description: '满意率' }) satisfaction: Rate;
  @ApiProperty({ type: Rate, description: '按时办结率' }) onTime: Rate;
  @ApiProperty({ type: Rate, description: '返工率 (orders sent back ÷ orders replied)' }) rework: Rate;
}

export class Volumes {
  /** 来电/来件: accepted + answered at first contact + contacts merged into an open order + not accepted. */
  @ApiProperty({
    description: '来电/来件: accepted + answered at first contact + contacts merged into an open order + contacts not accepted',
  })
  contacts: number;
  @ApiProperty() accepted: number;
  @ApiProperty() answeredAtFirstContact: number;
  @ApiProperty() merged: number;
  /** 不予受理: contacts not accepted (in litigation, arbitration, administrative review or petition, or concluded). */
  @ApiProperty({
    description: '不予受理: contacts not accepted (in litigation, arbitration, administrative review or petition, or concluded)',
  })
  notAccepted: number;
  @ApiProperty() dispatched: number;
  @ApiProperty() replied: number;
  @ApiProperty() closed: number;
  @ApiProperty() callbacks: number;
  @ApiProperty() callbacksFailed: number;
}

export class PeriodView {
  @ApiProperty({ enum: PERIODS }) kind: PeriodKind;
  @ApiProperty({ example: '2026-11-01' }) from: string;
  @ApiProperty({ example: '2026-11-30' }) to: string;
  @ApiProperty({ example: 'Asia/Shanghai' }) timeZone: string;
}

export class Label {
  @ApiProperty() zh: string;
  @ApiProperty() en: string;
}

export class RateLabels implements Record<RateName, Label> {
  @ApiProperty({ type: Label }) response: Label;
  @ApiProperty({ type: Label }) resolution: Label;
  @ApiProperty({ type: Label }) satisfaction: Label;
  @ApiProperty({ type: Label }) onTime: Label;
  @ApiProperty({ type: Label }) rework: Label;
}

export class RatesView {
  @ApiProperty({ type: PeriodView }) period: PeriodView;
  @ApiProperty({ type: String, nullable: true, example: '630104' }) districtCode: string | null;
  @ApiProperty({ type: Volumes }) volumes: Volumes;
  /** Every event the platform published in the period, by type (from the daily rollup). */
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'number' },
    description: 'Every event the platform published in the period, by type (from the daily rollup)',
  })
  events: Record<string, number>;
  @ApiProperty({ type: Rates }) rates: Rates;
  /** 响应率 / 解决率 / 满意率 labels for reports. */
  @ApiProperty({ type: RateLabels, description: '响应率 / 解决率 / 满意率 labels for reports' })
  labels: RateLabels;
}

export class BreakdownRow {
  @ApiProperty() key: string;
  @ApiProperty() label: string;
  /** District of the row (street, unit and district breakdowns). */
  @ApiProperty({ type: String, nullable: true, description: 'District of the row (street, unit and district breakdowns)' })
  districtCode: string | null;
  @ApiProperty({ type: Volumes }) volumes: Volumes;
  @ApiProperty({ type: Rates }) rates: Rates;
}

export class BreakdownView {
  @ApiProperty({ type: PeriodView }) period: PeriodView;
  @ApiProperty({ type: String, nullable: true }) districtCode: string | null;
  @ApiProperty({ enum: BREAKDOWN_DIMENSIONS }) dimension: BreakdownDimension;
  @ApiProperty({ type: [BreakdownRow] }) rows: BreakdownRow[];
}

export class RankedRow extends BreakdownRow {
  @ApiProperty() rank: number;
  /** Composite score 0–100 (综合得分), weights from RATE_SCORE_WEIGHTS. */
  @ApiProperty({ description: 'Composite score 0–100 (综合得分)' })
  score: number;
}

export class RateWeights implements Partial<Record<RateName, number>> {
  @ApiPropertyOptional() response?: number;
  @ApiPropertyOptional() resolution?: number;
  @ApiPropertyOptional() satisfaction?: number;
  @ApiPropertyOptional() onTime?: number;
  @ApiPropertyOptional() rework?: number;
}

export class RankingView {
  @ApiProperty({ example: '2026-11' }) month: string;
  @ApiProperty({ enum: ['unit', 'street'] }) kind: 'unit' | 'street';
  @ApiProperty({ type: String, nullable: true }) districtCode: string | null;
  @ApiProperty({ type: RateWeights }) weights: RateWeights;
  @ApiProperty() minOrders: number;
  @ApiProperty({ type: [RankedRow] }) ranked: RankedRow[];
  /** Below RANKING_MIN_ORDERS dispatched orders: listed, not ranked. */
  @ApiProperty({ type: [BreakdownRow], description: 'Below the minimum of dispatched orders: listed, not ranked' })
  unranked: BreakdownRow[];
  /** 红榜 best, 黑榜 worst. */
  @ApiProperty({ type: [RankedRow], description: '红榜 best' }) redList: RankedRow[];
  @ApiProperty({ type: [RankedRow], description: '黑榜 worst' }) blackList: RankedRow[];
}

export class TopProblem {
  @ApiProperty() categoryCode: string;
  @ApiProperty() label: string;
  @ApiProperty() accepted: number;
  @ApiProperty() dispatched: number;
  @ApiProperty() callbacks: number;
  @ApiProperty() unresolved: number;
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
  'notAccepted',
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

export class FigureCallback {
  @ApiProperty() cycle: number;
  @ApiProperty() completedAt: string;
  @ApiProperty() failed: boolean;
  @ApiProperty({ type: Boolean, nullable: true }) contacted: boolean | null;
  @ApiProperty({ type: Boolean, nullable: true }) resolved: boolean | null;
  /** satisfied / basically_satisfied / unsatisfied. */
  @ApiProperty({ type: String, nullable: true, description: 'satisfied / basically_satisfied / unsatisfied' })
  satisfaction: string | null;
  /** What the citizen said on the callback (or why it failed). */
  @ApiProperty({ type: String, nullable: true, description: 'What the citizen said on the callback (or why it failed)' })
  comment: string | null;
}

export class FigureOrder {
  @ApiProperty({ format: 'uuid' }) ticketId: string;
  @ApiProperty({ type: String, nullable: true }) orderNo: string | null;
  @ApiProperty() districtCode: string;
  @ApiProperty() district: string;
  @ApiProperty({ type: String, nullable: true }) streetCode: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) unitId: string | null;
  @ApiProperty({ type: String, nullable: true }) unitName: string | null;
  @ApiProperty({ type: String, nullable: true }) categoryCode: string | null;
  @ApiProperty() category: string;
  /** The instant the figure counts the order on (dispatch, first reply, callback...). */
  @ApiProperty({ description: 'The instant the figure counts the order on (dispatch, first reply, callback...)' })
  at: string;
  /** Its share of the rate's numerator (0–1; a basically-satisfied answer may count half); 1 for a volume. */
  @ApiProperty({ description: "Its share of the rate's numerator (0–1); 1 for a volume" })
  counted: number;
  /** It pulls the figure down (see `against` in the query). */
  @ApiProperty({ description: 'It pulls the figure down' })
  against: boolean;
  /** The public reply the citizen was given (never the citizen's own words or data). */
  @ApiProperty({
    type: String,
    nullable: true,
    description: "The public reply the citizen was given (never the citizen's own words or data)",
  })
  replyText: string | null;
  @ApiProperty({ type: FigureCallback, nullable: true }) callback: FigureCallback | null;
  /** Why a contact was not accepted (不予受理; the `notAccepted` figure), else null. */
  @ApiProperty({
    type: String,
    nullable: true,
    enum: NotAcceptedReason,
    description: 'Why a contact was not accepted (不予受理; the notAccepted figure), else null',
  })
  notAcceptedReason: NotAcceptedReason | null;
}

export class FigureOrdersView {
  @ApiProperty({ type: PeriodView }) period: PeriodView;
  @ApiProperty({ type: String, nullable: true }) districtCode: string | null;
  @ApiProperty({ enum: FIGURES }) figure: Figure;
  @ApiProperty() total: number;
  @ApiProperty({ type: [FigureOrder] }) items: FigureOrder[];
}

export const TREND_GRANULARITIES = ['day', 'week', 'month'] as const;
export type TrendGranularity = (typeof TREND_GRANULARITIES)[number];

export class TrendQuery extends PeriodQuery {
  @ApiPropertyOptional({ enum: TREND_GRANULARITIES, default: 'day' })
  @IsOptional()
  @IsIn(TREND_GRANULARITIES, { message: `granularity must be one of: ${TREND_GRANULARITIES.join(', ')}` })
  granularity?: TrendGranularity;
}

export class TrendPoint {
  /** First and last day of the bucket (clipped to the period). */
  @ApiProperty({ description: 'First day of the bucket (clipped to the period)' }) from: string;
  @ApiProperty({ description: 'Last day of the bucket (clipped to the period)' }) to: string;
  @ApiProperty({ type: Volumes }) volumes: Volumes;
  @ApiProperty({ type: Rates }) rates: Rates;
}

export class TrendView {
  @ApiProperty({ type: PeriodView }) period: PeriodView;
  @ApiProperty({ type: String, nullable: true }) districtCode: string | null;
  @ApiProperty({ enum: TREND_GRANULARITIES }) granularity: TrendGranularity;
  @ApiProperty({ type: [TrendPoint] }) points: TrendPoint[];
}
