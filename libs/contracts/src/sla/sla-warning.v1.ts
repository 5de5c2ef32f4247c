import { IsEnum, IsInt, IsISO8601, IsString, IsUUID, Min } from 'class-validator';
import { ClockKind } from '../enums';

/** sla → dispatch, analytics: a clock is close to its due time (预警). */
export class SlaWarningV1 {
  @IsUUID()
  clockId: string;

  @IsEnum(ClockKind)
  kind: ClockKind;

  @IsUUID()
  unitId: string;

  @IsInt()
  @Min(1)
  cycle: number;

  /** Which warning rule fired, e.g. `elapsed_75pct`, `two_working_days_before`. */
  @IsString()
  rule: string;

  @IsISO8601({ strict: true })
  dueAt: string;

  @IsISO8601({ strict: true })
  warnedAt: string;
}
