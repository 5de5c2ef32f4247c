import { IsInt, IsISO8601, IsString, IsUUID, Min } from 'class-validator';

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

  /** `unreachable`, `refused`, ... */
  @IsString()
  reason: string;

  @IsISO8601({ strict: true })
  failedAt: string;
}
