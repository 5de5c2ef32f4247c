import { ApiProperty, ApiPropertyOptional } from '@app/platform';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator';
import { DATE } from '../rates/rates.dto';

export const REPORT_KINDS = ['daily', 'weekly', 'monthly'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];
const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));

export class GenerateReportDto {
  @ApiProperty({ enum: REPORT_KINDS, description: '日小结 daily summary, 周通报 weekly bulletin, 月评比 monthly ranking' })
  @IsIn(REPORT_KINDS, { message: `kind must be one of: ${REPORT_KINDS.join(', ')}` })
  kind: ReportKind;

  @ApiProperty({ example: '2026-11-12', description: 'A day of the period: the day, any day of the week, any day of the month' })
  @Matches(DATE, { message: 'date must be a date YYYY-MM-DD' })
  date: string;

  @ApiPropertyOptional({ example: '630104', description: 'A district report; the whole city when absent' })
  @IsOptional()
  @Matches(/^\d{6}$/, { message: 'districtCode must be a six-digit GB/T 2260 code' })
  districtCode?: string;
}

export class ReportListQuery {
  @ApiPropertyOptional({ enum: REPORT_KINDS })
  @IsOptional()
  @IsIn(REPORT_KINDS, { message: `kind must be one of: ${REPORT_KINDS.join(', ')}` })
  kind?: ReportKind;

  @ApiPropertyOptional({ default: 1 })
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'page must be an integer' })
  @Min(1)
  page?: number;

  @ApiPropertyOptional({ default: 20, maximum: 100 })
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'pageSize must be an integer' })
  @Min(1)
  @Max(100, { message: 'pageSize may be at most 100' })
  pageSize?: number;
}

export class ReportIdParam {
  @IsUUID('all', { message: 'id must be a uuid' })
  id: string;
}

export class ReportLinks {
  @ApiProperty() html: string;
  @ApiProperty() xlsx: string;
  @ApiProperty() pdf: string;
}

export class ReportSummary {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: REPORT_KINDS }) kind: ReportKind;
  @ApiProperty() periodFrom: string;
  @ApiProperty() periodTo: string;
  @ApiProperty({ type: String, nullable: true }) districtCode: string | null;
  @ApiProperty() title: string;
  @ApiProperty() generatedAt: string;
  @ApiProperty() generatedBy: string;
  @ApiProperty({ type: ReportLinks }) links: ReportLinks;
}

export class ReportPage {
  @ApiProperty() total: number;
  @ApiProperty({ type: [ReportSummary] }) items: ReportSummary[];
}
