import type { ContractMap, EventType, TicketEventType } from './catalogue';
import { IsDefined, IsIn, IsInt, IsISO8601, IsObject, IsOptional, IsString, IsUUID, Matches, Min } from 'class-validator';

/** GB/T 2260 administrative division code: six digits (630104 = Xining Chengxi). */
export const DISTRICT_CODE_PATTERN = /^\d{6}$/;

/** What every envelope carries whatever its type. */
export interface EnvelopeFields {
  /** uuid; also the JetStream msgID, so the server drops a re-published copy. */
  id: string;
  version: number;
  /** When the fact happened, UTC ISO-8601. */
  occurredAt: string;
  /** District code (second subject token). Orders not yet placed travel under the city's code. */
  district: string;
  /** Service that produced it (`intake`, `dispatch`, ...). */
  producer: string;
}

/**
 * The one envelope every event travels in, typed by its event type: `type: K`, `data: ContractMap[K]`,
 * and `ticketId` a string for events about an order (TicketEventType); only the others (a
 * hotspot, a staff change, a notification) may carry null. Without K it is the union of every type's envelope, which `switch
 * (e.type)` narrows. Trace context (W3C `traceparent`) travels in the NATS headers, not here.
 */
export type EventEnvelope<K extends EventType = EventType> = K extends EventType
  ? EnvelopeFields & {
      /** e.g. `ticket.accepted.v1`; the version is part of the name. */
      type: K;
      /** The order this event is about: always set for an order's events; may be null only for the others. */
      ticketId: K extends TicketEventType ? string : string | null;
      data: ContractMap[K];
    }
  : never;

/** Validation class for the envelope; consumers validate it before the payload. */
export class EnvelopeDto implements EnvelopeFields {
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
