import { IsBoolean, IsInt, IsISO8601, IsOptional, IsUUID, Min } from 'class-validator';

/**
 * sla → dispatch, analytics, intake: the due times of an order's cycle were set or moved (on dispatch,
 * rework, reopen, extension, calendar edit, a merge that makes a dispatched order 双交办: its running
 * clocks move to the stricter flagged policy, `policyId`). Consumers keep the latest by `occurredAt`.
 */
export class SlaClocksSetV1 {
  @IsUUID()
  unitId: string;

  @IsUUID()
  policyId: string;

  @IsInt()
  @Min(1)
  cycle: number;

  /** Absent when the respond clock is already stopped (reopen cycles have no respond clock). */
  @IsOptional()
  @IsISO8601({ strict: true })
  respondDueAt?: string;

  @IsISO8601({ strict: true })
  finishDueAt: string;

  /**
   * When the policy warns (预警) on each clock: the yellow point of the worklists' countdowns. Absent
   * from events published before warnings were carried, and for a clock that is not running.
   */
  @IsOptional()
  @IsISO8601({ strict: true })
  respondWarnAt?: string;

  @IsOptional()
  @IsISO8601({ strict: true })
  finishWarnAt?: string;

  /**
   * True when a due time was computed on the provisional calendar (weekends only) because a year it
   * reaches has no working-day data yet; a later clocks-set without it follows the year's declaration.
   */
  @IsOptional()
  @IsBoolean()
  provisional?: boolean;
}
