import { IsString, IsUUID, MaxLength } from 'class-validator';

/**
 * Request/reply over core NATS, callback → intake: the citizen's mobile for the automatic SMS survey
 * link of a callback task (no person acts, so no token). Intake answers only with a mainland mobile
 * number of an order whose citizen did not refuse text messages, and audits every answer with the
 * requester `service:callback`. Who may ask is NATS's: only callback's account may publish on this
 * subject (docs/operations.md).
 */
export class SurveySmsContactQueryV1 {
  @IsUUID()
  ticketId: string;

  @IsUUID()
  taskId: string;

  @IsString()
  @MaxLength(500)
  purpose: string;
}

export interface SurveySmsContactReplyV1 {
  ok: boolean;
  /**
   * `not_found`, `no_mobile` (anonymous, proactive or a landline), `sms_refused` (the citizen said no to SMS),
   * `unreadable` (the stored mobile fails its integrity check; logged as an alarm by intake).
   */
  error?: 'not_found' | 'no_mobile' | 'sms_refused' | 'unreadable';
  mobile?: string;
}
