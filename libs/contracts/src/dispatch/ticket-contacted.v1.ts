import { IsEnum, IsISO8601, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { ContactMethod } from '../enums';

/** dispatch → sla, analytics: the handler contacted the citizen (响应); stops the respond clock. */
export class TicketContactedV1 {
  @IsUUID()
  assignmentId: string;

  @IsUUID()
  unitId: string;

  @IsEnum(ContactMethod)
  method: ContactMethod;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;

  @IsISO8601({ strict: true })
  contactedAt: string;
}
