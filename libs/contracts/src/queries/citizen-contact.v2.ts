import { IsIn, IsJWT, IsString, IsUUID, MaxLength } from 'class-validator';

/** The capacities in which a person may have a citizen's contact revealed. */
export const REVEAL_ROLES = ['handler', 'callback_agent', 'dispatcher', 'supervisor'] as const;
export type RevealRole = (typeof REVEAL_ROLES)[number];

/**
 * Request/reply over core NATS (with a timeout): reveal a citizen's contact to the person who must
 * call them. The query carries that person's bearer token — the one the console signed for the
 * relaying service (`aud` = e.g. `callback`) — and nothing else about who asks: intake verifies the
 * token (signature, issuer, expiry, an audience allowed to relay reveals), checks the role and the
 * person's district/unit scope from the VERIFIED claims, and audits the verified person.
 */
export class RevealCitizenContactQueryV2 {
  @IsUUID()
  ticketId: string;

  /** The caller's bearer token, exactly as it reached the relaying service (without `Bearer `). */
  @IsString()
  @MaxLength(8192)
  @IsJWT()
  token: string;

  /** The capacity the person acts in; refused unless their verified token holds this role. */
  @IsIn(REVEAL_ROLES)
  role: RevealRole;

  @IsString()
  @MaxLength(500)
  purpose: string;
}

export interface RevealCitizenContactReplyV2 {
  ok: boolean;
  /**
   * Why it was refused: `unauthenticated` (no valid token), `forbidden` (role or scope), `not_found`,
   * `anonymous`, `identity_hidden`, `unreadable` (the stored contact fails its integrity check: it was
   * copied from another order or field, or its key is gone; logged as an alarm by intake).
   */
  error?: 'unauthenticated' | 'forbidden' | 'not_found' | 'anonymous' | 'identity_hidden' | 'unreadable';
  name?: string | null;
  phone?: string | null;
}
