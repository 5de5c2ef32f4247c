import { IsISO8601, IsString, MaxLength } from 'class-validator';

/** intake → everyone: the citizen added information to an order already accepted (补充诉求). */
export class TicketSupplementedV1 {
  @IsString()
  @MaxLength(4000)
  text: string;

  @IsISO8601({ strict: true })
  supplementedAt: string;
}
