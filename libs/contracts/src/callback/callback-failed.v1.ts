import { IsBoolean, IsEnum, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Min } from 'class-validator';
import { CallbackKind } from './callback-kind';

/** callback → dispatch, analytics: the citizen could not be reached after the configured attempts. */
export class CallbackFailedV1 {
  @IsUUID()
  taskId: string;

  @IsUUID()
  unitId: string;

  @IsInt()
  @Min(1)
  cycle: number;

  @IsInt()
  @Min(1)
  attempts: number;

  /** `unreachable` (no answer or busy, N attempts over M days), `refused`, `wrong_number`. */
  @IsString()
  reason: string;

  @IsISO8601({ strict: true })
  failedAt: string;

  /** What was called back; absent means `reply` (see CallbackCompletedV1.kind). */
  @IsOptional()
  @IsEnum(CallbackKind)
  kind?: CallbackKind;

  /** The citizen had called more than once about this matter (intake's `repeat` flag). */
  @IsOptional()
  @IsBoolean()
  repeatCall?: boolean;
}
