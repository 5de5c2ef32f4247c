import { ArrayMinSize, IsArray, IsEnum, IsISO8601, IsOptional, IsUUID } from 'class-validator';
import { TicketFlag } from '../enums';

/**
 * dispatch → notify, analytics: a flagged order (repeat or concentrated, 双交办) was put on hold for
 * the district leader's sign-off, because the district's hotline centre asks for it
 * (`dualSignoffRequired`): before its dispatch (`awaiting_leader`), or, when a merge made it 双交办
 * while a unit had it, in hand (the unit keeps it; its reply waits for the sign-off). Published only
 * when the order is actually held: a flagged order in a district that does not ask for the sign-off
 * is routed as usual and publishes nothing of this kind.
 */
export class TicketHeldForLeaderV1 {
  /** Why it is 双交办: the flags intake set. */
  @IsArray()
  @ArrayMinSize(1)
  @IsEnum(TicketFlag, { each: true })
  flags: TicketFlag[];

  /** The district's hotline centre, whose head (unit_head) is the district leader who signs off. */
  @IsUUID()
  centreUnitId: string;

  /**
   * The unit the routing rules suggest (the leader may choose another); absent when no rule matched,
   * and for an order held in hand (it has its unit).
   */
  @IsOptional()
  @IsUUID()
  suggestedUnitId?: string;

  @IsISO8601({ strict: true })
  heldAt: string;
}
