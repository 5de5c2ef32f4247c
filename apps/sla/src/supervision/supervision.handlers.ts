import { EventEnvelope } from '@app/contracts';
import { OnEvent } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { SupervisionService } from './supervision.service';

@Injectable()
export class SupervisionHandlers {
  constructor(private readonly supervision: SupervisionService) {}

  @OnEvent('callback.completed.v1')
  callbackCompleted(e: EventEnvelope<'callback.completed.v1'>): Promise<void> {
    return this.supervision.onCallbackCompleted(e);
  }
}
