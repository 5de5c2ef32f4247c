import { IsISO8601, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';

/** dispatch → everyone: a unit asked to return a mis-dispatched order, with the reason (退单). */
export class TicketReturnedV1 {
  @IsUUID()
  assignmentId: string;

  @IsUUID()
  unitId: string;

  @IsString()
  @MinLength(2)
  @MaxLength(2000)
  reason: string;

  @IsISO8601({ strict: true })
  returnedAt: string;
}
