import { RevealCitizenContactQueryV1, RevealCitizenContactReplyV1 } from './citizen-contact.v1';

export * from './citizen-contact.v1';

/** Request/reply query patterns (core NATS, `@MessagePattern`) → request and reply types. */
export interface QueryMap {
  'intake.citizen-contact.reveal.v1': { request: RevealCitizenContactQueryV1; reply: RevealCitizenContactReplyV1 };
}

export type QueryPattern = keyof QueryMap;

export const QUERY_PATTERNS = {
  revealCitizenContact: 'intake.citizen-contact.reveal.v1',
} as const satisfies Record<string, QueryPattern>;
