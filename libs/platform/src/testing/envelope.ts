import { ContractMap, EventEnvelope, EventType, versionOf } from '@app/contracts';
import { randomUUID } from 'node:crypto';

/**
 * An envelope built by a test, typed by its event type: `data` must be that type's contract, and the
 * result is an `EventEnvelope<K>` a handler accepts. (The one place tests need the conditional type's
 * cast, as `Outbox.publish` has it for producers.)
 */
export function testEnvelope<K extends EventType>(
  type: K,
  fields: { district: string; ticketId: string | null; data: ContractMap[K]; occurredAt?: string; producer?: string; id?: string },
): EventEnvelope<K> {
  return {
    id: fields.id ?? randomUUID(),
    type,
    version: versionOf(type),
    occurredAt: fields.occurredAt ?? new Date().toISOString(),
    district: fields.district,
    ticketId: fields.ticketId,
    producer: fields.producer ?? 'test',
    data: fields.data,
  } as EventEnvelope<K>;
}
