import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export class RatesQuery {
  @ApiProperty({ example: '2026-11-01', description: 'First day of the period (city time zone), inclusive' })
  @Matches(DATE, { message: 'from must be a date YYYY-MM-DD' })
  from: string;

  @ApiProperty({ example: '2026-11-30', description: 'Last day of the period, inclusive' })
  @Matches(DATE, { message: 'to must be a date YYYY-MM-DD' })
  to: string;

  @ApiPropertyOptional({ example: '630104' })
  @IsOptional()
  @Matches(/^\d{6}$/, { message: 'districtCode must be a six-digit GB/T 2260 code' })
  districtCode?: string;
}

export interface Rate {
  numerator: number;
  denominator: number;
  /** Percent with two decimals; null when nothing was counted. */
  percent: number | null;
}

export interface RatesView {
  period: { from: string; to: string; timeZone: string };
  districtCode: string | null;
  volumes: {
    accepted: number;
    answeredAtFirstContact: number;
    dispatched: number;
    replied: number;
    closed: number;
    callbacks: number;
    callbacksFailed: number;
  };
  /** Every event the platform published in the period, by type (from the daily rollup). */
  events: Record<string, number>;
  rates: { response: Rate; resolution: Rate; satisfaction: Rate; onTime: Rate; rework: Rate };
  /** 响应率 / 解决率 / 满意率 labels for reports. */
  labels: Record<'response' | 'resolution' | 'satisfaction' | 'onTime' | 'rework', { zh: string; en: string }>;
}
