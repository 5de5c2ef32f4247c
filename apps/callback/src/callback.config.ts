import { Transform } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { ServiceConfig, toNumber } from '@app/platform';

export class CallbackConfig extends ServiceConfig {
  override PORT = 3004;

  /** Hours after an approved reply by which the citizen should be called back. */
  @Transform(toNumber)
  @IsInt()
  @Min(1)
  @Max(720)
  CALLBACK_DUE_HOURS: number = 24;

  /** Failed attempts (no answer, busy, wrong number, refused) before the callback fails as unreachable. */
  @Transform(toNumber)
  @IsInt()
  @Min(1)
  @Max(20)
  CALLBACK_MAX_ATTEMPTS: number = 3;

  /** Milliseconds to wait for intake to answer a contact-reveal query. */
  @Transform(toNumber)
  @IsInt()
  @Min(100)
  @Max(60_000)
  QUERY_TIMEOUT_MS: number = 5000;
}

export const CALLBACK_CONFIG = Symbol('CALLBACK_CONFIG');
export const INTAKE_QUERIES = Symbol('INTAKE_QUERIES');
