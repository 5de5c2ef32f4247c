import { IsInt, IsISO8601, IsString, IsUUID, MaxLength, Min, MinLength } from 'class-validator';

/** sla → dispatch, analytics: a supervisor urged the handling unit (催办), with a note for it. */
export class SlaUrgedV1 {
  @IsUUID()
  itemId: string;

  @IsUUID()
  unitId: string;

  @IsInt()
  @Min(1)
  urgeCount: number;

  @IsString()
  urgedBy: string;

  @IsString()
  @MinLength(2)
  @MaxLength(2000)
  note: string;

  @IsISO8601({ strict: true })
  urgedAt: string;
}
