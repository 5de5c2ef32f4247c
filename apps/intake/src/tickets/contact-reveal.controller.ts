import { QUERY_PATTERNS, RevealCitizenContactQueryV1, RevealCitizenContactReplyV1 } from '@app/contracts';
import { validationPipe } from '@app/platform';
import { Controller, UsePipes } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { TicketsService } from './tickets.service';

/** Request/reply over core NATS: other services ask intake to reveal a citizen's contact. */
@Controller()
export class ContactRevealController {
  constructor(private readonly tickets: TicketsService) {}

  @MessagePattern(QUERY_PATTERNS.revealCitizenContact)
  @UsePipes(validationPipe())
  reveal(@Payload() query: RevealCitizenContactQueryV1): Promise<RevealCitizenContactReplyV1> {
    return this.tickets.reveal(query);
  }
}
