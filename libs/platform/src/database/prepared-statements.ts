import { Client, QueryConfig } from 'pg';

/** Distinct statement texts a process names; texts beyond it run unnamed (and are planned every time). */
const MAX_NAMED_TEXTS = 2_000;

/**
 * A `pg` client that sends every statement with parameters as a named prepared statement, so that
 * Postgres parses it once per connection and, from the sixth execution on, may keep a generic plan
 * instead of planning each execution (its own rule: a generic plan is used when it is not costlier
 * than the custom ones were). The pgJDBC driver does the same by default (`prepareThreshold=5`).
 *
 * Why: in the pipeline bench Postgres spent a third of its time per order planning statements
 * (5.8 of 16.6 ms per order in `pg_stat_statements`, `track_planning`), most of them the same few
 * texts of the repositories and of TypeORM, planned again on every call.
 *
 * - Names are given per text by this process (`j1`, `j2`, …); a connection keeps at most
 *   `perConnection` of them (each holds a parsed statement and its plan in the server's memory),
 *   and texts past that run unnamed, as do statements without parameters (BEGIN, COMMIT, DDL).
 * - Plans follow schema changes: Postgres re-plans a prepared statement when a table it reads is
 *   altered. A statement whose result columns change under it (`SELECT *` of an altered table) fails
 *   once with "cached plan must not change result type"; our statements name their columns.
 * - Behind a pooler in transaction mode (PgBouncer before 1.21, or without
 *   `max_prepared_statements`), named statements do not survive; set DB_PREPARED_STATEMENTS=0 there.
 */
export function preparingClient(perConnection: number): typeof Client {
  const names = new Map<string, string>();
  const nameOf = (text: string): string | undefined => {
    let name = names.get(text);
    if (name === undefined && names.size < MAX_NAMED_TEXTS) {
      name = `j${names.size + 1}`;
      names.set(text, name);
    }
    return name;
  };

  class PreparingClient extends Client {
    private prepared = new Set<string>();

    // pg's overloads (callbacks, streams, array rows) all come through here; only a plain text with
    // an array of values is named, everything else passes as it is.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    override query(...args: any[]): any {
      const [text, values] = args as [unknown, unknown];
      if (typeof text === 'string' && Array.isArray(values) && values.length > 0) {
        const name = nameOf(text);
        if (name !== undefined && (this.prepared.has(name) || this.prepared.size < perConnection)) {
          this.prepared.add(name);
          args[0] = { name, text } satisfies QueryConfig;
        }
      }
      return (Client.prototype.query as (...a: unknown[]) => unknown).apply(this, args);
    }
  }
  return PreparingClient;
}
