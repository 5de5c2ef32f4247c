import { ApiProperty, ApiPropertyOptional } from '@app/platform';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';

export class CalendarDayDto {
  @ApiProperty({ example: '2027-02-08' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'day must be a local date YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'day must be a real date' })
  day: string;

  @ApiProperty({ description: 'true = 上班 working day (调休), false = 休息 day off' })
  @IsBoolean()
  working: boolean;

  @ApiPropertyOptional({ example: '春节' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  note?: string;
}

export class SetDaysDto {
  @ApiProperty({ type: [CalendarDayDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(400)
  @ValidateNested({ each: true })
  @Type(() => CalendarDayDto)
  days: CalendarDayDto[];
}

export class DeclareYearDto {
  @ApiProperty({ example: 2027 })
  @IsInt()
  @Min(2000)
  @Max(2100)
  year: number;

  @ApiProperty({ example: '国务院办公厅关于2027年部分节假日安排的通知' })
  @IsString()
  @MinLength(2)
  @MaxLength(500)
  source: string;

  @ApiPropertyOptional({
    type: [CalendarDayDto],
    description:
      'The year’s days that differ from Monday–Friday (holidays on weekdays, adjusted working weekends), entered with the declaration',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(400)
  @ValidateNested({ each: true })
  @Type(() => CalendarDayDto)
  days?: CalendarDayDto[];
}

export class DayParam {
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'day must be a local date YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'day must be a real date' })
  day: string;
}

export class YearParam {
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  year: number;
}
