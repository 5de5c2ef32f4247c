/**
 * RETIRED: the v1 reveal query trusted the `requestedBy` and `role` its caller wrote, so anyone who
 * could reach NATS could read any citizen's contact. intake answers every v1 query
 * `{ ok: false, error: 'token_required' }` and reveals nothing; use RevealCitizenContactQueryV2.
 */
export interface RevealCitizenContactReplyV1 {
  ok: boolean;
  error?: string;
  name?: string | null;
  phone?: string | null;
}
