import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { RouteMatch, RoutingRepository } from './routing.repository';

export interface RoutingInput {
  districtCode: string;
  streetCode: string | null;
  categoryCode: string;
}

/** Chooses the handling unit for an order from its district's rule set. */
@Injectable()
export class RoutingService {
  constructor(private readonly rules: RoutingRepository) {}

  route(m: EntityManager, input: RoutingInput): Promise<RouteMatch | null> {
    return this.rules.bestMatch(m, input.districtCode, input.categoryCode, input.streetCode);
  }
}
