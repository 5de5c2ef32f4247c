import { Ticket } from '../tickets/ticket.entity';

/** `createdBy` of a supplement the citizen added on the status page (authorised by the order's token). */
export const CITIZEN_AUTHOR = 'citizen';

/** Why an order takes no supplement (补充诉求), or null when it does. */
export type SupplementRefusal = 'merged' | 'answered' | 'not_accepted' | 'closed';

/**
 * Only an order being handled takes a supplement: a merged contact's goes to the order it joined; a
 * refusal, a first-contact answer or a closed order has no one to read it. The one rule for the
 * operator's path, the citizen's, and the status view that offers the citizen the form.
 */
export function supplementRefusal(t: Pick<Ticket, 'disposition' | 'progress'>): SupplementRefusal | null {
  if (t.disposition === 'merged') return 'merged';
  if (t.disposition === 'answered') return 'answered';
  if (t.disposition === 'not_accepted') return 'not_accepted';
  if (t.progress === 'closed') return 'closed';
  return null;
}
