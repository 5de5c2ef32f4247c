import { RevealCitizenContactQueryV1, RevealCitizenContactReplyV1 } from './citizen-contact.v1';

export * from './citizen-contact.v1';

/** Request/reply query patterns (core NATS, `@MessagePattern`) → request and reply types. */
export interface QueryMap {
  'intake.citizen-contact.reveal.v1': { request: RevealCitizenContactQueryV1; reply: RevealCitizenContactReplyV1 };
}

export type QueryPattern = keyof QueryMap;

/**
 * The NATS subject a query travels on: the deployment's prefix with `-q` (queries stay out of the
 * event stream, which captures `<prefix>.>`), then the pattern: `hotline-q.intake.citizen-contact.reveal.v1`.
 */
export function querySubject(prefix: string, pattern: string): string {
  return `${prefix}-q.${pattern}`;
}

export const QUERY_PATTERNS = {
  revealCitizenContact: 'intake.citizen-contact.reveal.v1',
} as const satisfies Record<string, QueryPattern>;
