import { EventEnvelope } from '@app/contracts';
import { OnEvent } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { ExtensionsService } from './extensions.service';

@Injectable()
export class ExtensionsHandlers {
  constructor(private readonly extensions: ExtensionsService) {}

  @OnEvent('ticket.extension-requested.v1')
  requested(e: EventEnvelope<'ticket.extension-requested.v1'>): Promise<void> {
    return this.extensions.onRequested(e);
  }
}
