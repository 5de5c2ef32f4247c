import { IsISO8601, IsString, IsUUID } from 'class-validator';

/** dispatch → everyone: the unit signed for the order (签收). */
export class TicketSignedV1 {
  @IsUUID()
  assignmentId: string;

  @IsUUID()
  unitId: string;

  @IsString()
  signedBy: string;

  @IsISO8601({ strict: true })
  signedAt: string;
}
