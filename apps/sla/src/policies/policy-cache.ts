import { PgListener, ReferenceCache } from '@app/platform';
import { Injectable, OnApplicationBootstrap, Optional } from '@nestjs/common';
import { PoliciesRepository, PolicyQuery } from './policies.repository';
import { bestPolicy } from './policy-match';
import { SlaPolicy } from './sla-policy.entity';

/**
 * The policies in memory. By id: a row's limits and rules never change (a change is a new version),
 * so a policy read once is good for the life of the process; the tick fires thousands of clocks on a
 * handful. The active ones, to choose an order's policy (`best`): read again after every change to
 * the table, by anyone (ReferenceCache), instead of for every dispatched order.
 */
@Injectable()
export class PolicyCache implements OnApplicationBootstrap {
  private readonly byId = new Map<string, SlaPolicy>();
  private readonly active = new ReferenceCache(() => this.policies.active());

  constructor(
    private readonly policies: PoliciesRepository,
    /** Absent (a test's module without the platform): every order reads the policies. */
    @Optional() private readonly listener?: PgListener,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.listener) await this.active.start(this.listener);
  }

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

  /** The best active policy for an order (`bestPolicy`). */
  async best(q: PolicyQuery): Promise<SlaPolicy | null> {
    return bestPolicy(await this.active.get(), q);
  }
}
