import { IsIn, IsString, IsUUID, MaxLength } from 'class-validator';

/** The channels a staff contact is asked for. */
export const STAFF_CONTACT_CHANNELS = ['sms', 'email'] as const;
export type StaffContactChannel = (typeof STAFF_CONTACT_CHANNELS)[number];

/**
 * Request/reply over core NATS, notify → console: a staff member's work mobile or e-mail, asked at
 * the moment a message is sent. The console owns the staff accounts and keeps the contact encrypted
 * at rest; it is never published in an event (staff.membership-changed.v1 says only whether the
 * account has one), so the stream, which keeps events for ever, holds no staff contact data. The
 * console answers an active account only. Who may ask is NATS's: only notify's user may publish on
 * this subject (deploy/nats, generated from QUERY_ROUTES).
 */
export class StaffContactQueryV1 {
  @IsUUID()
  accountId: string;

  @IsIn(STAFF_CONTACT_CHANNELS)
  channel: StaffContactChannel;

  /** Why it is asked (the delivery id), for the console's log. */
  @IsString()
  @MaxLength(200)
  purpose: string;
}

export interface StaffContactReplyV1 {
  ok: boolean;
  /** `not_found` (no such account), `inactive` (disabled), `no_contact` (the account has no mobile / e-mail). */
  error?: 'not_found' | 'inactive' | 'no_contact';
  /** The mobile (11 digits) or the e-mail address, in clear: the asker keeps it only while sending. */
  address?: string;
  /** The same, masked, for the sender's delivery log (`139****0000`, `s***@example.cn`). */
  masked?: string;
}
