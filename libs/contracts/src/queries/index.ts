import { RevealCitizenContactReplyV1 } from './citizen-contact.v1';
import { RevealCitizenContactQueryV2, RevealCitizenContactReplyV2 } from './citizen-contact.v2';
import { StaffContactQueryV1, StaffContactReplyV1 } from './staff-contact.v1';
import { SurveySmsContactQueryV1, SurveySmsContactReplyV1 } from './survey-sms-contact.v1';

export * from './citizen-contact.v1';
export * from './citizen-contact.v2';
export * from './staff-contact.v1';
export * from './survey-sms-contact.v1';

/**
 * Request/reply query patterns (core NATS, `@MessagePattern`) → request and reply types. A query made
 * on a person's behalf carries that person's bearer token, and the answering service verifies it.
 */
export interface QueryMap {
  'intake.citizen-contact.reveal.v2': { request: RevealCitizenContactQueryV2; reply: RevealCitizenContactReplyV2 };
  /** Retired: answered `token_required`, never a contact. */
  'intake.citizen-contact.reveal.v1': { request: unknown; reply: RevealCitizenContactReplyV1 };
  /** callback's automatic survey SMS (no person, so no token): see SurveySmsContactQueryV1. */
  'intake.survey-sms-contact.v1': { request: SurveySmsContactQueryV1; reply: SurveySmsContactReplyV1 };
  /** notify's send-time look-up of a staff member's mobile or e-mail: see StaffContactQueryV1. */
  'console.staff-contact.v1': { request: StaffContactQueryV1; reply: StaffContactReplyV1 };
}

export type QueryPattern = keyof QueryMap;

/**
 * The NATS subject a query travels on: the deployment's prefix with `-q` (queries stay out of the
 * event stream, which captures `<prefix>.>`), then the pattern: `hotline-q.intake.citizen-contact.reveal.v2`.
 */
export function querySubject(prefix: string, pattern: string): string {
  return `${prefix}-q.${pattern}`;
}

export const QUERY_PATTERNS = {
  revealCitizenContact: 'intake.citizen-contact.reveal.v2',
  /** Retired (no token): answered `token_required`. */
  revealCitizenContactV1: 'intake.citizen-contact.reveal.v1',
  surveySmsContact: 'intake.survey-sms-contact.v1',
  staffContact: 'console.staff-contact.v1',
} as const satisfies Record<string, QueryPattern>;
