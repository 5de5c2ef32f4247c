import { QUERY_PATTERNS, StaffContactQueryV1, StaffContactReplyV1 } from '@app/contracts';
import { validationPipe } from '@app/platform';
import { Controller, UsePipes } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { StaffContactService } from './staff-contact.service';

/**
 * Request/reply over core NATS: notify asks, at send time, for a staff member's work mobile or
 * e-mail. The contact never travels in an event (the stream keeps events for ever); NATS lets only
 * notify ask (QUERY_ROUTES → deploy/nats).
 */
@Controller()
export class StaffContactController {
  constructor(private readonly contacts: StaffContactService) {}

  @MessagePattern(QUERY_PATTERNS.staffContact)
  @UsePipes(validationPipe())
  contact(@Payload() query: StaffContactQueryV1): Promise<StaffContactReplyV1> {
    return this.contacts.answer(query);
  }
}
