import { PgListener } from './pg-listener';

/** The channel a schema's reference tables announce their changes on (migration: `referenceTriggerSql`). */
export function referenceChannel(schema: string): string {
  return `${schema}_reference`;
}

/**
 * The SQL that makes a table announce every change, by anyone (the service's API, another replica,
 * a migration, SQL typed by hand), on its schema's reference channel: one NOTIFY per statement,
 * delivered when the writer commits (none if it rolls back).
 */
export function referenceTriggerSql(table: string): { up: string[]; down: string[] } {
  return {
    up: [
      `CREATE OR REPLACE FUNCTION notify_reference_changed() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN PERFORM pg_notify(TG_TABLE_SCHEMA || '_reference', TG_TABLE_NAME); RETURN NULL; END $$`,
      `CREATE TRIGGER "${table}_reference_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "${table}"
       FOR EACH STATEMENT EXECUTE FUNCTION notify_reference_changed()`,
    ],
    down: [`DROP TRIGGER IF EXISTS "${table}_reference_changed" ON "${table}"`],
  };
}

/**
 * Reference data every message consults and people rarely change (routing rules, time-limit
 * policies), read whole once and kept in memory instead of read for every order. The tables announce
 * their changes (`referenceTriggerSql`); the cache drops its copy at each announcement and reads
 * again on next use. A read that an announcement overtook is used once but not kept. While LISTEN
 * does not hold (not yet, or lost), the cache keeps nothing: every use reads, as without a cache, so a
 * missed announcement can never leave an old copy in use.
 */
export class ReferenceCache<T> {
  private value?: T;
  private generation = 0;
  private live = false;

  /** `load` reads the data (in the caller's transaction, if any). */
  constructor(private readonly load: () => Promise<T>) {}

  /** Listen for the schema's announcements; until LISTEN holds, every use reads. */
  async start(listener: PgListener): Promise<void> {
    await listener.subscribe(referenceChannel(listener.schema), {
      notify: () => this.invalidate(),
      connected: () => {
        this.invalidate();
        this.live = true;
      },
      lost: () => {
        this.live = false;
        this.invalidate();
      },
    });
  }

  async get(): Promise<T> {
    if (this.value !== undefined) return this.value;
    const generation = this.generation;
    const value = await this.load();
    if (this.live && generation === this.generation) this.value = value;
    return value;
  }

  /** Forget the copy (a change was announced, or made by this process and committed). */
  invalidate(): void {
    this.generation++;
    this.value = undefined;
  }
}
