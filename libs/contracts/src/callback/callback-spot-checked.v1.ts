import { IsBoolean, IsEnum, IsInt, IsISO8601, IsOptional, IsString, IsUUID, MaxLength, Min } from 'class-validator';
import { CallbackChannel, Satisfaction } from '../enums';
import { SpotCheckOutcome } from './callback-kind';

/**
 * callback → analytics: a supervisor called a closed order's citizen again (抽查回访). Kept apart from
 * the first callback: it never closes or reopens the order and never replaces the first answers.
 */
export class CallbackSpotCheckedV1 {
  @IsUUID()
  taskId: string;

  /** The first callback task of the same cycle, when there was one. */
  @IsOptional()
  @IsUUID()
  checkedTaskId?: string;

  @IsUUID()
  unitId: string;

  @IsInt()
  @Min(1)
  cycle: number;

  @IsEnum(SpotCheckOutcome)
  outcome: SpotCheckOutcome;

  @IsOptional()
  @IsBoolean()
  contacted?: boolean;

  @IsOptional()
  @IsBoolean()
  resolved?: boolean;

  @IsOptional()
  @IsEnum(Satisfaction)
  satisfaction?: Satisfaction;

  /** Whether the spot check's verdict (resolved and not unsatisfied) agrees with the first callback's. */
  @IsOptional()
  @IsBoolean()
  agreesWithCallback?: boolean;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  comment?: string;

  @IsEnum(CallbackChannel)
  channel: CallbackChannel;

  @IsInt()
  @Min(0)
  attempts: number;

  @IsISO8601({ strict: true })
  checkedAt: string;
}
