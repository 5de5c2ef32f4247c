import { EventEnvelope, TicketExtensionRequestedV1 } from '@app/contracts';
import { HandlerContext, OnEvent } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { ExtensionsService } from './extensions.service';

@Injectable()
export class ExtensionsHandlers {
  constructor(private readonly extensions: ExtensionsService) {}

  @OnEvent('ticket.extension-requested.v1')
  requested(e: EventEnvelope<TicketExtensionRequestedV1>, ctx: HandlerContext): Promise<void> {
    return this.extensions.onRequested(ctx.manager, e);
  }
}
