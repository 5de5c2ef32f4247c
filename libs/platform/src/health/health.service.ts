import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { NatsConnection } from 'nats';
import { DataSource } from 'typeorm';
import { NATS_CONNECTION } from '../bus/bus.tokens';

export type CheckStatus = 'up' | 'down' | 'degraded';
export interface CheckResult {
  status: CheckStatus;
  detail?: string;
}
export type ReadinessCheck = () => Promise<CheckResult>;

/**
 * Readiness: the database and NATS, plus whatever a service registers (sla: the calendar).
 * `down` makes the service not ready (503); `degraded` is reported but keeps it ready.
 */
@Injectable()
export class HealthService {
  private readonly extra = new Map<string, ReadinessCheck>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
  ) {}

  register(name: string, check: ReadinessCheck): void {
    this.extra.set(name, check);
  }

  async readiness(): Promise<{ status: CheckStatus; checks: Record<string, CheckResult> }> {
    const checks: Record<string, CheckResult> = {};
    checks.database = await this.dataSource
      .query('SELECT 1')
      .then((): CheckResult => ({ status: 'up' }))
      .catch((e: Error): CheckResult => ({ status: 'down', detail: e.message }));
    checks.nats = this.nc.isClosed()
      ? { status: 'down', detail: 'connection closed' }
      : await this.nc
          .flush()
          .then((): CheckResult => ({ status: 'up' }))
          .catch((e: Error): CheckResult => ({ status: 'down', detail: e.message }));
    for (const [name, check] of this.extra) {
      checks[name] = await check().catch((e: Error): CheckResult => ({ status: 'down', detail: e.message }));
    }
    const all = Object.values(checks).map((c) => c.status);
    const status: CheckStatus = all.includes('down') ? 'down' : all.includes('degraded') ? 'degraded' : 'up';
    return { status, checks };
  }
}
