import { IsEnum, IsInt, IsISO8601, IsUUID, Min } from 'class-validator';
import { ClockKind } from '../enums';

/** sla → dispatch, analytics: a clock passed its due time without being stopped (超时). */
export class SlaBreachedV1 {
  @IsUUID()
  clockId: string;

  @IsEnum(ClockKind)
  kind: ClockKind;

  @IsUUID()
  unitId: string;

  @IsInt()
  @Min(1)
  cycle: number;

  @IsISO8601({ strict: true })
  dueAt: string;

  @IsISO8601({ strict: true })
  breachedAt: string;
}
