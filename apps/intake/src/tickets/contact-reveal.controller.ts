import {
  QUERY_PATTERNS,
  RevealCitizenContactQueryV2,
  RevealCitizenContactReplyV1,
  RevealCitizenContactReplyV2,
  SurveySmsContactQueryV1,
  SurveySmsContactReplyV1,
} from '@app/contracts';
import { validationPipe } from '@app/platform';
import { Controller, UsePipes } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { TicketsService } from './tickets.service';

/** Request/reply over core NATS: other services ask intake, for a person, to reveal a citizen's contact. */
@Controller()
export class ContactRevealController {
  constructor(private readonly tickets: TicketsService) {}

  /** The query carries the person's token; intake verifies it before anything else. */
  @MessagePattern(QUERY_PATTERNS.revealCitizenContact)
  @UsePipes(validationPipe())
  reveal(@Payload() query: RevealCitizenContactQueryV2): Promise<RevealCitizenContactReplyV2> {
    return this.tickets.revealQuery(query);
  }

  /** callback's automatic SMS survey link: a mobile only, audited as `service:callback`. */
  @MessagePattern(QUERY_PATTERNS.surveySmsContact)
  @UsePipes(validationPipe())
  surveySmsContact(@Payload() query: SurveySmsContactQueryV1): Promise<SurveySmsContactReplyV1> {
    return this.tickets.surveySmsContact(query);
  }

  /** Retired: v1 trusted the role its caller wrote. Answered, so an old caller fails at once, never served. */
  @MessagePattern(QUERY_PATTERNS.revealCitizenContactV1)
  revealV1(): RevealCitizenContactReplyV1 {
    return { ok: false, error: 'token_required' };
  }
}
