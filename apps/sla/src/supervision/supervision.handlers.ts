import { CallbackCompletedV1, EventEnvelope } from '@app/contracts';
import { HandlerContext, OnEvent } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { SupervisionService } from './supervision.service';

@Injectable()
export class SupervisionHandlers {
  constructor(private readonly supervision: SupervisionService) {}

  @OnEvent('callback.completed.v1')
  callbackCompleted(e: EventEnvelope<CallbackCompletedV1>, ctx: HandlerContext): Promise<void> {
    return this.supervision.onCallbackCompleted(ctx.manager, e);
  }
}
