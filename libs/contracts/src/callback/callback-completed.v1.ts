import { IsBoolean, IsEnum, IsInt, IsISO8601, IsOptional, IsString, IsUUID, MaxLength, Min } from 'class-validator';
import { CallbackChannel, Satisfaction } from '../enums';
import { CallbackKind } from './callback-kind';

/**
 * callback → dispatch, sla, analytics: the citizen answered the callback (回访). Resolved and
 * (basically) satisfied closes the order; anything else reopens it.
 */
export class CallbackCompletedV1 {
  @IsUUID()
  taskId: string;

  @IsUUID()
  unitId: string;

  @IsInt()
  @Min(1)
  cycle: number;

  /** Did the unit contact you? */
  @IsBoolean()
  contacted: boolean;

  /** Is it resolved? */
  @IsBoolean()
  resolved: boolean;

  @IsEnum(Satisfaction)
  satisfaction: Satisfaction;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  comment?: string;

  @IsEnum(CallbackChannel)
  channel: CallbackChannel;

  @IsISO8601({ strict: true })
  completedAt: string;

  /**
   * What was called back; absent means `reply`. `first_contact` callbacks have no work order in
   * dispatch (nothing to close or reopen) and `unitId` is the hotline centre that answered.
   */
  @IsOptional()
  @IsEnum(CallbackKind)
  kind?: CallbackKind;

  /** The citizen had to call more than once about this matter (intake's `repeat` flag; 最多打一次). */
  @IsOptional()
  @IsBoolean()
  repeatCall?: boolean;
}
