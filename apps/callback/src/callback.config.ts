import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, IsUUID, Matches, Max, Min, ValidateIf } from 'class-validator';
import { ServiceConfig, toNumber } from '@app/platform';

/** The development link key: refused at boot in production (CallbackModule.forRoot). */
export const DEV_LINK_KEYS = 'dev:ZGV2LW9ubHktY2FsbGJhY2stbGluay1rZXktY2hhbmdlLW1lIQ==';

export class CallbackConfig extends ServiceConfig {
  /**
   * Batches on (BUS_BATCH, docs/architecture.md "Batches"): this service's consumers apply what the pull
   * delivered, up to 32 messages, in one transaction (no deadlock seen in its handlers).
   */
  override BUS_BATCH = 32;

  /**
   * A batch that is not full waits up to 200 ms for more events of its type (BUS_BATCH_LINGER_MS).
   * This service's consumers keep the order's callback record and open the call-back tasks; an
   * agent's queue showing a new task 200 ms later is not noticed, and a task's due time is counted
   * from the time its event carries (reviewedAt, answeredAt, closedAt, breachedAt), not from when it
   * was applied (bench/README.md, issue 17: "A linger where nobody waits").
   */
  override BUS_BATCH_LINGER_MS = 200;

  override PORT = 3004;

  /**
   * Working days after an approved reply by which the citizen should be called back (Huangyuan: the
   * next working day). 0 = use CALLBACK_DUE_HOURS instead.
   */
  @Transform(toNumber)
  @IsInt()
  @Min(0)
  @Max(30)
  CALLBACK_DUE_WORKING_DAYS: number = 1;

  /** Wall-clock hours to the due time when CALLBACK_DUE_WORKING_DAYS is 0, or the calendar has no data for the year. */
  @Transform(toNumber)
  @IsInt()
  @Min(1)
  @Max(720)
  CALLBACK_DUE_HOURS: number = 24;

  /** Failed attempts (no answer, busy) before the callback can fail as unreachable. */
  @Transform(toNumber)
  @IsInt()
  @Min(1)
  @Max(20)
  CALLBACK_MAX_ATTEMPTS: number = 3;

  /** ... and the distinct days (city time) those attempts must be spread over. */
  @Transform(toNumber)
  @IsInt()
  @Min(1)
  @Max(30)
  CALLBACK_ATTEMPT_DAYS: number = 2;

  /** Minimum minutes between two attempts on one task; the task is due again after it. */
  @Transform(toNumber)
  @IsInt()
  @Min(0)
  @Max(1440)
  CALLBACK_ATTEMPT_GAP_MINUTES: number = 120;

  /** Minutes a claim holds; after that another agent may take the task over. */
  @Transform(toNumber)
  @IsInt()
  @Min(5)
  @Max(1440)
  CALLBACK_CLAIM_MINUTES: number = 60;

  /** Percent of orders answered at first contact (直接答复) that get a callback. */
  @Transform(toNumber)
  @IsInt()
  @Min(0)
  @Max(100)
  CALLBACK_FIRST_CONTACT_PERCENT: number = 10;

  /** The unit credited with first-contact answers: the city hotline centre (demo: unitIdFor('630100-centre')). */
  @IsUUID()
  CALLBACK_FIRST_CONTACT_UNIT_ID: string = '64660eb4-09f8-5437-a174-a35f49318fc1';

  /** Percent of closed orders called again by the supervisors' spot-check team (抽查回访). */
  @Transform(toNumber)
  @IsInt()
  @Min(0)
  @Max(100)
  CALLBACK_SPOT_CHECK_PERCENT: number = 5;

  /** Working days after the close by which a spot check is due. */
  @Transform(toNumber)
  @IsInt()
  @Min(1)
  @Max(30)
  CALLBACK_SPOT_CHECK_DUE_WORKING_DAYS: number = 5;

  /**
   * Keys signing survey links, `keyId:base64(≥ 32 bytes)`, comma-separated. The first signs; all
   * verify, so a key rotates by putting a new one first. The built-in development key is refused in
   * production.
   */
  @IsString()
  @Matches(/^[A-Za-z0-9_-]+:[A-Za-z0-9+/]{43,}={0,2}(,[A-Za-z0-9_-]+:[A-Za-z0-9+/]{43,}={0,2})*$/, {
    message: 'CALLBACK_LINK_KEYS must be keyId:base64-of-at-least-32-bytes, comma-separated',
  })
  CALLBACK_LINK_KEYS: string = DEV_LINK_KEYS;

  /** Hours a survey link stays valid. */
  @Transform(toNumber)
  @IsInt()
  @Min(1)
  @Max(720)
  CALLBACK_LINK_TTL_HOURS: number = 72;

  /** Public base URL of this service's survey page, as the citizen's phone reaches it; links are `<base>/s/<token>`. */
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  CALLBACK_SURVEY_BASE_URL: string = 'http://localhost:3004';

  /** `log` (development: the message is written to the log) or `http` (POST JSON to CALLBACK_SMS_HTTP_URL). */
  @IsIn(['log', 'http'])
  CALLBACK_SMS_ADAPTER: 'log' | 'http' = 'log';

  @ValidateIf((c: CallbackConfig) => c.CALLBACK_SMS_ADAPTER === 'http')
  @IsUrl(
    { require_tld: false, protocols: ['http', 'https'], require_protocol: true },
    { message: 'CALLBACK_SMS_HTTP_URL must be an http(s) URL when CALLBACK_SMS_ADAPTER=http' },
  )
  CALLBACK_SMS_HTTP_URL?: string;

  /** Bearer token sent to the SMS gateway, if it wants one. */
  @IsOptional()
  @IsString()
  CALLBACK_SMS_HTTP_TOKEN?: string;

  @Transform(toNumber)
  @IsInt()
  @Min(100)
  @Max(60_000)
  CALLBACK_SMS_HTTP_TIMEOUT_MS: number = 5000;

  /** Sender signature at the head of every SMS (签名). */
  @IsString()
  CALLBACK_SMS_SIGNATURE: string = '【12345热线】';

  /** The SMS provider's template id of the survey message (模板). */
  @IsString()
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'CALLBACK_SMS_TEMPLATE_ID must be a provider template id' })
  CALLBACK_SMS_TEMPLATE_ID: string = 'SMS_SURVEY';

  /**
   * Send the survey link by SMS by itself when a reply's callback task is created, where the citizen
   * left a mobile and did not refuse SMS (intake's `smsReachable`).
   */
  @IsIn(['true', 'false'])
  CALLBACK_AUTO_SMS: 'true' | 'false' = 'true';

  /** How often callback sends queued survey SMS and raises overdue tasks (ms); 0 = never (tests drive it). */
  @Transform(toNumber)
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  CALLBACK_TICK_MS: number = 60_000;

  /** Milliseconds to wait for intake to answer a contact-reveal query. */
  @Transform(toNumber)
  @IsInt()
  @Min(100)
  @Max(60_000)
  QUERY_TIMEOUT_MS: number = 5000;
}

export const CALLBACK_CONFIG = Symbol('CALLBACK_CONFIG');
export const INTAKE_QUERIES = Symbol('INTAKE_QUERIES');
