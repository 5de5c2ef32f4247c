import { Transform } from 'class-transformer';
import { IsIn, IsInt, Max, Min } from 'class-validator';
import { ServiceConfig, toNumber } from '@app/platform';

export class SlaConfig extends ServiceConfig {
  /**
   * Batches on (BUS_BATCH, docs/architecture.md "Batches"): this service's consumers apply what the pull
   * delivered, up to 32 messages, in one transaction (no deadlock seen in its handlers).
   */
  override BUS_BATCH = 32;

  /**
   * A batch that is not full waits up to 200 ms for more events of its type (BUS_BATCH_LINGER_MS).
   * Nobody waits on this service's consumers: a clock starts and stops at the time its event carries
   * (dispatchedAt, contactedAt, repliedAt), not when it is applied, and the tick looks every
   * SLA_TICK_MS (30 s). Below saturation each event would otherwise be a transaction of its own, and
   * so would the relay's pass for its sla.clocks-set.v1, which then reaches dispatch in bursts too
   * (bench/README.md, issue 17: "A linger where nobody waits").
   */
  override BUS_BATCH_LINGER_MS = 200;

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
