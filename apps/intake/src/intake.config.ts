import { Transform } from 'class-transformer';
import { ArrayNotEmpty, IsIn, IsInt, IsNumber, IsOptional, IsString, Matches, Max, Min, MinLength, ValidateIf } from 'class-validator';
import { ServiceConfig, toNumber } from '@app/platform';

/** Photos, PDFs and call recordings. */
export const DEFAULT_ATTACHMENT_CONTENT_TYPES = 'image/jpeg,image/png,image/webp,application/pdf,audio/mpeg,audio/wav,audio/amr';

export class IntakeConfig extends ServiceConfig {
  /**
   * Batches on (BUS_BATCH, docs/architecture.md "Batches"): this service's consumers apply what the pull
   * delivered, up to 32 messages, in one transaction (no deadlock seen in its handlers).
   */
  override BUS_BATCH = 32;

  /**
   * A batch that is not full waits up to 200 ms for more events of its type (BUS_BATCH_LINGER_MS).
   * This service's consumers only mirror the order's progress (ticket.dispatched.v1 and later, for
   * the citizen's page and the checks before a merge or a supplement) and mark hotspots; the POST
   * that takes an order waits for no consumer. Below saturation each event would otherwise be a
   * transaction of its own (bench/README.md, issue 17: "A linger where nobody waits").
   */
  override BUS_BATCH_LINGER_MS = 200;

  override PORT = 3001;

  /**
   * The services allowed to relay a person's contact-reveal query: intake accepts the person's token
   * only when it was signed for one of them (`aud`: their names, or their AUTH_AUDIENCE). Comma-separated.
   */
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : value,
  )
  @ArrayNotEmpty({ message: 'REVEAL_RELAY_AUDIENCES must name at least one service' })
  @Matches(/^[A-Za-z0-9_.:-]+$/, { each: true, message: 'REVEAL_RELAY_AUDIENCES must list audiences (service names)' })
  REVEAL_RELAY_AUDIENCES: string[] = ['callback', 'dispatch'];

  /**
   * Encryption keys for citizens' names and phones, `keyId:base64(32 bytes)`, comma-separated.
   * The first encrypts; all decrypt, so a key is rotated by putting the new one first.
   */
  @IsString()
  @Matches(/^[A-Za-z0-9_-]+:[A-Za-z0-9+/]{43}=(,[A-Za-z0-9_-]+:[A-Za-z0-9+/]{43}=)*$/, {
    message: 'PII_KEYS must be keyId:base64-of-32-bytes, comma-separated',
  })
  PII_KEYS: string;

  /** HMAC key for the phone lookup hash (base64, at least 32 bytes). Not rotatable without a rehash. */
  @IsString()
  @MinLength(43, { message: 'PII_HASH_KEY must be base64 of at least 32 bytes' })
  PII_HASH_KEY: string;

  /** Longest request text accepted (Open311 allows 4,000 characters). */
  @Transform(toNumber)
  @IsInt()
  @Min(100)
  @Max(4000, { message: 'MAX_CONTENT_LENGTH may not exceed 4000, the limit of the ticket.accepted.v1 contract' })
  MAX_CONTENT_LENGTH: number = 4000;

  /** How far back an order counts for duplicates, repeats and concentrated complaints (days). */
  @Transform(toNumber)
  @IsInt()
  @Min(1)
  @Max(365)
  DUPLICATE_WINDOW_DAYS: number = 30;

  /**
   * Seconds between reads of the category taxonomy (0 = only at start and on a miss): a category
   * added, renamed or retired through another replica is in force here within this time (one added
   * or restored is at once, when a request names it).
   */
  @Transform(toNumber)
  @IsInt()
  @Min(0)
  @Max(3600)
  TAXONOMY_RELOAD_SECONDS: number = 30;

  /** Two orders with coordinates are "nearby" within this distance (metres). */
  @Transform(toNumber)
  @IsInt()
  @Min(10)
  @Max(10000)
  DUPLICATE_RADIUS_M: number = 500;

  /** Text similarity (cosine of jieba words, 0..1) from which two requests are "the same matter". */
  @Transform(toNumber)
  @IsNumber()
  @Min(0.1)
  @Max(1)
  DUPLICATE_MIN_SIMILARITY: number = 0.5;

  /** Distinct citizens on one matter from which it is concentrated (多人集中投诉, 双交办). */
  @Transform(toNumber)
  @IsInt()
  @Min(2)
  @Max(1000)
  CONCENTRATED_MIN_CITIZENS: number = 5;

  /**
   * Open311 API keys for POST requests, `clientName:key` comma-separated (key at least 16 characters).
   * Empty: Open311 submission is closed (every POST answers 403).
   */
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]+:[A-Za-z0-9_-]{16,}(,[A-Za-z0-9_-]+:[A-Za-z0-9_-]{16,})*$/, {
    message: 'OPEN311_API_KEYS must be clientName:key pairs (key at least 16 of A-Z a-z 0-9 _ -), comma-separated',
  })
  OPEN311_API_KEYS?: string;

  /** The Open311 jurisdiction_id this endpoint serves (requests naming another get 404). */
  @Matches(/^[A-Za-z0-9_.-]+$/, { message: 'OPEN311_JURISDICTION must be a jurisdiction id such as 630100' })
  OPEN311_JURISDICTION: string = '630100';

  /** Public base URL of intake, for the Open311 discovery document (e.g. https://12345.xining.gov.cn/intake). */
  @IsOptional()
  @Matches(/^https?:\/\/\S+$/, { message: 'PUBLIC_BASE_URL must be an http(s) URL' })
  PUBLIC_BASE_URL?: string;

  /** Directory of the local-disk attachment store (created at boot). */
  @IsString()
  @MinLength(1, { message: 'ATTACHMENT_DIR must be a directory path' })
  ATTACHMENT_DIR: string = '.data/attachments';

  /** Largest attachment accepted, in bytes (default 10 MiB; at most 1 GiB). */
  @Transform(toNumber)
  @IsInt()
  @Min(1024)
  @Max(1024 * 1024 * 1024, { message: 'ATTACHMENT_MAX_BYTES may not exceed 1073741824 (1 GiB)' })
  ATTACHMENT_MAX_BYTES: number = 10 * 1024 * 1024;

  /** Content types an attachment may have, comma-separated (photos, documents, call recordings). */
  @Matches(/^[a-z0-9.+-]+\/[a-z0-9.+-]+(,[a-z0-9.+-]+\/[a-z0-9.+-]+)*$/, {
    message: 'ATTACHMENT_CONTENT_TYPES must be lower-case type/subtype values, comma-separated',
  })
  ATTACHMENT_CONTENT_TYPES: string = DEFAULT_ATTACHMENT_CONTENT_TYPES;

  /** Photos a citizen may add to one request from the public form. */
  @Transform(toNumber)
  @IsInt()
  @Min(0)
  @Max(20)
  PUBLIC_ATTACHMENT_MAX: number = 3;

  /** Minutes after the submission during which the public form may add its photos. */
  @Transform(toNumber)
  @IsInt()
  @Min(1)
  @Max(24 * 60)
  PUBLIC_ATTACHMENT_WINDOW_MINUTES: number = 60;

  /**
   * Supplements (补充诉求) a citizen may add to one order from the status page in any 24 hours: each
   * one tells the handling unit (inbox, SMS), so a receipt passed on cannot flood it. 0 turns the
   * citizen's form off.
   */
  @Transform(toNumber)
  @IsInt()
  @Min(0)
  @Max(50)
  PUBLIC_SUPPLEMENT_MAX_PER_DAY: number = 5;

  /** Where attachments' bytes live: `disk` (ATTACHMENT_DIR, the default) or `s3` (an S3-compatible object store). */
  @IsIn(['disk', 's3'], { message: 'ATTACHMENT_STORE must be disk or s3' })
  ATTACHMENT_STORE: 'disk' | 's3' = 'disk';

  /** The bucket (required with ATTACHMENT_STORE=s3; it must exist: intake checks it at boot). */
  @ValidateIf((c: IntakeConfig) => c.ATTACHMENT_STORE === 's3')
  @Matches(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, {
    message: 'ATTACHMENT_S3_BUCKET must be an S3 bucket name (required with ATTACHMENT_STORE=s3)',
  })
  ATTACHMENT_S3_BUCKET?: string;

  /** The S3-compatible server's URL (MinIO, Ceph RGW...); unset: AWS for ATTACHMENT_S3_REGION. */
  @IsOptional()
  @Matches(/^https?:\/\/\S+$/, { message: 'ATTACHMENT_S3_ENDPOINT must be an http(s) URL' })
  ATTACHMENT_S3_ENDPOINT?: string;

  @Matches(/^[a-z0-9-]{2,32}$/, { message: 'ATTACHMENT_S3_REGION must be a region name such as us-east-1' })
  ATTACHMENT_S3_REGION: string = 'us-east-1';

  /** Key prefix of every attachment in the bucket: empty, or segments of A-Za-z0-9_- each ending in `/`. */
  @Matches(/^([A-Za-z0-9_-]+\/)*$/, { message: 'ATTACHMENT_S3_PREFIX must be empty or end with / (segments of A-Za-z0-9_-)' })
  ATTACHMENT_S3_PREFIX: string = 'attachments/';

  /** Path-style addressing (`host/bucket/key`): what MinIO and most S3-compatible servers need. */
  @IsIn(['true', 'false'], { message: 'ATTACHMENT_S3_FORCE_PATH_STYLE must be true or false' })
  ATTACHMENT_S3_FORCE_PATH_STYLE: 'true' | 'false' = 'true';

  /** Static credentials (both or neither); unset: the SDK's default chain (AWS_* variables, the pod's web identity...). */
  @ValidateIf((c: IntakeConfig) => c.ATTACHMENT_S3_SECRET_ACCESS_KEY !== undefined || c.ATTACHMENT_S3_ACCESS_KEY_ID !== undefined)
  @IsString({ message: 'ATTACHMENT_S3_ACCESS_KEY_ID is required with ATTACHMENT_S3_SECRET_ACCESS_KEY' })
  @MinLength(1, { message: 'ATTACHMENT_S3_ACCESS_KEY_ID is required with ATTACHMENT_S3_SECRET_ACCESS_KEY' })
  ATTACHMENT_S3_ACCESS_KEY_ID?: string;

  @ValidateIf((c: IntakeConfig) => c.ATTACHMENT_S3_SECRET_ACCESS_KEY !== undefined || c.ATTACHMENT_S3_ACCESS_KEY_ID !== undefined)
  @IsString({ message: 'ATTACHMENT_S3_SECRET_ACCESS_KEY is required with ATTACHMENT_S3_ACCESS_KEY_ID' })
  @MinLength(1, { message: 'ATTACHMENT_S3_SECRET_ACCESS_KEY is required with ATTACHMENT_S3_ACCESS_KEY_ID' })
  ATTACHMENT_S3_SECRET_ACCESS_KEY?: string;
}
