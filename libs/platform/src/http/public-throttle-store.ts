import { Logger } from '@nestjs/common';
import { ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import { Column, DataSource, Entity, PrimaryColumn } from 'typeorm';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * One client address's count on one public endpoint, in the current window (`PgThrottlerStorage`).
 * A service with `@Public()` routes lists it among its entities, with its migration.
 */
@Entity('public_throttle')
export class PublicThrottleWindow {
  /** The throttler's name and its key (a hash of the route and the client's address). */
  @PrimaryColumn('text')
  key: string;

  @Column('timestamptz', { name: 'window_start' })
  windowStart: Date;

  @Column('int')
  hits: number;
}

const SWEEP_MS = 60_000;
/** Windows older than this are deleted (every minute, by whichever replica comes first). */
const KEEP_MS = 10 * 60_000;
const WARN_EVERY_MS = 60_000;

/**
 * The public rate limit's counts in the service's database, so that every replica counts the same
 * client against one limit (in memory, N replicas let a client make N × the limit). One statement per
 * public request: the address's count in a fixed window of `ttl` (reset when the window has passed),
 * blocked above the limit until the window ends. If the database cannot answer, the process counts in
 * memory (`ThrottlerStorageService`, the library's own) and says so in its log, at most once a
 * minute: a public page is not failed for its rate limit, and is still limited per replica.
 */
export class PgThrottlerStorage implements ThrottlerStorage {
  private readonly log = new Logger(PgThrottlerStorage.name);
  private readonly memory = new ThrottlerStorageService();
  private readonly table: string;
  private lastSweep = Date.now();
  private lastWarn = 0;

  constructor(
    private readonly ds: DataSource,
    schema: string,
  ) {
    this.table = `"${schema}"."public_throttle"`;
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    let row: { hits: number; left_s: number };
    try {
      [row] = await this.ds.query<{ hits: number; left_s: number }[]>(
        `INSERT INTO ${this.table} AS t (key, window_start, hits) VALUES ($1, now(), 1)
         ON CONFLICT (key) DO UPDATE SET
           window_start = CASE WHEN t.window_start <= now() - $2 * interval '1 millisecond' THEN now() ELSE t.window_start END,
           hits = CASE WHEN t.window_start <= now() - $2 * interval '1 millisecond' THEN 1 ELSE t.hits + 1 END
         RETURNING t.hits, GREATEST(0, EXTRACT(EPOCH FROM t.window_start + $2 * interval '1 millisecond' - now()))::float8 AS left_s`,
        [`${throttlerName}:${key}`, ttl],
      );
    } catch (e) {
      const now = Date.now();
      if (now - this.lastWarn >= WARN_EVERY_MS) {
        this.lastWarn = now;
        this.log.warn({ msg: 'public rate limit counted in memory: the database did not answer', err: (e as Error).message });
      }
      return this.memory.increment(key, ttl, limit, blockDuration, throttlerName);
    }
    this.sweep();
    const timeToExpire = Math.ceil(row.left_s);
    const isBlocked = row.hits > limit;
    return { totalHits: row.hits, timeToExpire, isBlocked, timeToBlockExpire: isBlocked ? timeToExpire : 0 };
  }

  /** Forget old windows, at most once a minute per process, never awaited by a request. */
  private sweep(): void {
    const now = Date.now();
    if (now - this.lastSweep < SWEEP_MS) return;
    this.lastSweep = now;
    this.ds
      .query(`DELETE FROM ${this.table} WHERE window_start < now() - $1 * interval '1 millisecond'`, [KEEP_MS])
      .catch((e: Error) => this.log.warn({ msg: 'old public rate-limit windows not deleted', err: e.message }));
  }
}
