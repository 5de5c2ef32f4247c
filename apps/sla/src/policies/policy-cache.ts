import { Injectable } from '@nestjs/common';
import { PoliciesRepository } from './policies.repository';
import { SlaPolicy } from './sla-policy.entity';

/**
 * Policies by id. A row's limits and rules never change (a change is a new version), so a policy
 * read once is good for the life of the process; the tick fires thousands of clocks on a handful.
 */
@Injectable()
export class PolicyCache {
  private readonly byId = new Map<string, SlaPolicy>();

  constructor(private readonly policies: PoliciesRepository) {}

  async get(id: string): Promise<SlaPolicy> {
    let p = this.byId.get(id);
    if (!p) {
      const found = await this.policies.byId(id);
      if (!found) throw new Error(`policy ${id} vanished`);
      p = found;
      this.byId.set(id, p);
    }
    return p;
  }
}
