import { IsIn, IsString, IsUUID, MaxLength } from 'class-validator';

/**
 * Request/reply over core NATS (with a timeout): reveal a citizen's contact to someone who must
 * call them. intake decrypts, audits the reveal, and refuses when the requester may not see it.
 */
export class RevealCitizenContactQueryV1 {
  @IsUUID()
  ticketId: string;

  /** User id of the person who will make the call; written to intake's reveal audit log. */
  @IsString()
  @MaxLength(200)
  requestedBy: string;

  @IsIn(['handler', 'callback_agent', 'dispatcher', 'supervisor'])
  role: 'handler' | 'callback_agent' | 'dispatcher' | 'supervisor';

  @IsString()
  @MaxLength(500)
  purpose: string;
}

export interface RevealCitizenContactReplyV1 {
  ok: boolean;
  /** Why it was refused (`not_found`, `anonymous`, `identity_hidden`). */
  error?: string;
  name?: string | null;
  phone?: string | null;
}
