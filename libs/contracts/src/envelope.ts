import { IsDefined, IsIn, IsInt, IsISO8601, IsObject, IsOptional, IsString, IsUUID, Matches, Min } from 'class-validator';

/** GB/T 2260 administrative division code: six digits (630104 = Xining Chengxi). */
export const DISTRICT_CODE_PATTERN = /^\d{6}$/;

/**
 * The one envelope every event travels in. `data` is the versioned payload class named by `type`.
 * Trace context (W3C `traceparent`) travels in the NATS headers, not here.
 */
export interface EventEnvelope<T = unknown> {
  /** uuid; also the JetStream msgID, so the server drops a re-published copy. */
  id: string;
  /** e.g. `ticket.accepted.v1`; the version is part of the name. */
  type: string;
  version: number;
  /** When the fact happened, UTC ISO-8601. */
  occurredAt: string;
  /** District code (second subject token). Orders not yet placed travel under the city's code. */
  district: string;
  /** The order this event is about; null for events about no single order (a hotspot). */
  ticketId: string | null;
  /** Service that produced it (`intake`, `dispatch`, ...). */
  producer: string;
  data: T;
}

/** Validation class for the envelope; consumers validate it before the payload. */
export class EnvelopeDto implements EventEnvelope<Record<string, unknown>> {
  @IsUUID()
  id: string;

  @IsString()
  @Matches(/^[a-z0-9-]+(\.[a-z0-9-]+)*\.v\d+$/, { message: 'type must look like domain.event.vN' })
  type: string;

  @IsInt()
  @Min(1)
  version: number;

  @IsISO8601({ strict: true })
  occurredAt: string;

  @Matches(DISTRICT_CODE_PATTERN, { message: 'district must be a six-digit GB/T 2260 code' })
  district: string;

  @IsOptional()
  @IsUUID()
  ticketId: string | null;

  @IsString()
  @IsIn(['intake', 'dispatch', 'sla', 'callback', 'analytics', 'console', 'notify', 'test', 'bench'])
  producer: string;

  @IsDefined()
  @IsObject()
  data: Record<string, unknown>;
}
