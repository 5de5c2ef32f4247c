import { Transform } from 'class-transformer';
import { IsIn, IsNumber, Max, Min } from 'class-validator';
import { ServiceConfig, toNumber } from '@app/platform';

export class AnalyticsConfig extends ServiceConfig {
  override PORT = 3005;

  /** How much a 基本满意 (basically satisfied) answer counts in the satisfaction rate: 1 = fully, 0.5 = half. */
  @Transform(toNumber)
  @IsNumber()
  @Min(0)
  @Max(1)
  RATE_BASIC_SATISFIED_WEIGHT: number = 1;

  /**
   * Unreachable callbacks in the resolution and satisfaction rates: `exclude` them from the
   * denominators (default), or count them as `unresolved` (not resolved, not satisfied).
   */
  @IsIn(['exclude', 'unresolved'])
  RATE_FAILED_CALLBACKS: 'exclude' | 'unresolved' = 'exclude';
}

export const ANALYTICS_CONFIG = Symbol('ANALYTICS_CONFIG');
