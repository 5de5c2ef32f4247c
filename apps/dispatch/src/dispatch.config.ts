import { ServiceConfig, toNumber } from '@app/platform';
import { Transform } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';

export class DispatchConfig extends ServiceConfig {
  /**
   * Batches on (BUS_BATCH, docs/architecture.md "Batches"): this service's consumers apply what the pull
   * delivered, up to 32 messages, in one transaction (no deadlock seen in its handlers).
   */
  override BUS_BATCH = 32;

  override PORT = 3002;

  /**
   * Working days after its assignment within which a unit may return a mis-dispatched order (退单时限),
   * on the statutory calendar in CITY_TIME_ZONE. Shandong's regulations say 2.
   */
  @Transform(toNumber)
  @IsInt()
  @Min(1)
  @Max(30)
  RETURN_LIMIT_WORKING_DAYS: number = 2;

  /** How long to wait for intake's answer to a contact query (显示号码) before answering 504. */
  @Transform(toNumber)
  @IsInt()
  @Min(100)
  @Max(60_000)
  QUERY_TIMEOUT_MS: number = 5000;
}

export const DISPATCH_CONFIG = Symbol('DISPATCH_CONFIG');
export const INTAKE_QUERIES = Symbol('INTAKE_QUERIES');
