import { Transform } from 'class-transformer';
import { IsIn, IsInt, Max, Min } from 'class-validator';
import { ServiceConfig, toNumber } from '@app/platform';

export class SlaConfig extends ServiceConfig {
  /**
   * Batches on (BUS_BATCH, docs/architecture.md "Batches"): this service's consumers apply what the pull
   * delivered, up to 32 messages, in one transaction (no deadlock seen in its handlers).
   */
  override BUS_BATCH = 32;

  override PORT = 3003;

  /** Milliseconds between ticks that fire due warnings and breaches; 0 disables the timer. */
  @Transform(toNumber)
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  SLA_TICK_MS: number = 30_000;

  /** Clocks handled per tick transaction. */
  @Transform(toNumber)
  @IsInt()
  @Min(1)
  @Max(10_000)
  SLA_TICK_BATCH: number = 500;

  /**
   * Whether `sla.supervision-closed.v1` carries the item's level and unit (optional fields new in this
   * release; docs/contracts.md, "How to evolve a message"). Turn it on once every consumer of the type
   * runs this release: dispatch, district dispatch nodes included, notify and analytics; an older one
   * would dead-letter the event. Off, notify tells the order's unit the reason only.
   */
  @IsIn(['true', 'false'])
  SUPERVISION_CLOSED_DETAILS: 'true' | 'false' = 'false';
}

export const SLA_CONFIG = Symbol('SLA_CONFIG');
