import { EventEnvelope } from '@app/contracts';
import { OnEvent } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { ClocksRepository } from './clocks.repository';

/**
 * 转区: an order moved to another district. An unrouted order has no clock yet (its first dispatch in
 * the new district starts them); a returned one keeps its running clocks, which move with it.
 */
@Injectable()
export class RedistrictedHandlers {
  constructor(private readonly clocks: ClocksRepository) {}

  @OnEvent('ticket.redistricted.v1')
  redistricted(e: EventEnvelope<'ticket.redistricted.v1'>): Promise<void> {
    return this.clocks.moveDistrict(e.ticketId, e.data.fromDistrictCode, e.data.districtCode);
  }
}
