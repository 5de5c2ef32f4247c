/**
 * What the bench database's backends are doing, sampled from pg_stat_activity: running, waiting on a
 * lock (and which), waiting for the WAL flush, or idle inside a transaction (= waiting for the Node
 * process that holds it). Tells a lock convoy from a CPU or disk limit.
 */
import { Client } from 'pg';

export interface ActivityRow {
  what: string;
  /** Backends in this state, summed over samples. */
  backendSamples: number;
  /** Average number of backends in this state at any moment. */
  avgBackends: number;
  /** An example statement (first 160 characters). */
  example: string;
}

export class PgActivitySampler {
  private readonly counts = new Map<string, { n: number; example: string }>();
  private samples = 0;
  private timer?: NodeJS.Timeout;
  private busy = false;
  private client?: Client;

  constructor(
    private readonly url: string,
    private readonly db: string,
    private readonly everyMs = 250,
  ) {}

  async start(): Promise<void> {
    this.client = new Client({ connectionString: this.url, application_name: 'jiesu-bench-sampler' });
    await this.client.connect();
    this.timer = setInterval(() => void this.sample(), this.everyMs);
  }

  private async sample(): Promise<void> {
    if (this.busy || !this.client) return;
    this.busy = true;
    try {
      const { rows } = await this.client.query<{ what: string; n: string; example: string }>(
        `SELECT what, count(*) AS n, min(stmt) AS example FROM (
           SELECT CASE
                    WHEN state = 'active' AND wait_event IS NULL THEN 'active (on CPU)'
                    WHEN state = 'active' THEN 'active, waiting ' || wait_event_type || '/' || wait_event
                    ELSE state
                  END
                  -- what a waiting or open transaction is at; an idle connection's last statement says little
                  || CASE WHEN state = 'idle' THEN '' ELSE ': ' || left(regexp_replace(query, '\\s+', ' ', 'g'), 70) END AS what,
                  left(regexp_replace(query, '\\s+', ' ', 'g'), 160) AS stmt
             FROM pg_stat_activity
            WHERE datname = $1 AND pid <> pg_backend_pid() AND backend_type = 'client backend'
              AND application_name <> 'jiesu-bench-sampler') a
          GROUP BY 1`,
        [this.db],
      );
      this.samples++;
      for (const r of rows) {
        const c = this.counts.get(r.what) ?? { n: 0, example: r.example };
        c.n += Number(r.n);
        this.counts.set(r.what, c);
      }
    } catch {
      // a missed sample is fine
    } finally {
      this.busy = false;
    }
  }

  async stop(): Promise<{ samples: number; rows: ActivityRow[] }> {
    if (this.timer) clearInterval(this.timer);
    while (this.busy) await new Promise((r) => setTimeout(r, 20));
    const c = this.client;
    this.client = undefined;
    await c?.end().catch(() => undefined);
    const rows = [...this.counts.entries()]
      .map(([what, c]) => ({
        what,
        backendSamples: c.n,
        avgBackends: this.samples ? Math.round((c.n / this.samples) * 100) / 100 : 0,
        example: c.example,
      }))
      .sort((a, b) => b.backendSamples - a.backendSamples);
    return { samples: this.samples, rows };
  }
}
