/** Raised by a handler for an event that can never apply (not a transient failure): dead-letter at once. */
export class PermanentEventError extends Error {}

/**
 * Raised by a handler for an event that arrived before one it depends on (a clock stop before its
 * start, a decision for an order not yet accepted). It is not a failure: the message is nak'ed with
 * a delay and comes back without spending one of its `BUS_MAX_DELIVER` handler failures. Only time
 * bounds it: after `BUS_EARLY_EVENT_HORIZON_SECONDS` of waiting it is dead-lettered as
 * `earlier_event_missing`.
 */
export class EarlyEventError extends Error {}

/** SQLSTATE classes that say "the database cannot be reached or cannot work now". */
const UNREACHABLE_SQLSTATE_CLASSES = ['08', '53', '57', '58'];
/** SQLSTATEs that say "try the same thing again": the database is up, this transaction lost a race. */
const TRANSIENT_SQLSTATES = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '55P03', // lock_not_available
  '55006', // object_in_use
  '25P03', // idle_in_transaction_session_timeout
]);
const UNREACHABLE_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNABORTED',
]);
/** Messages of pg, pg-pool and TypeORM for a lost or unobtainable connection (they carry no code). */
const UNREACHABLE_MESSAGES = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /connection timeout/i,
  /client has encountered a connection error/i,
  /cannot use a pool after calling end/i,
  /terminating connection/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
  /query read timeout/i,
  /connection is not established/i,
];

/**
 * Whose failure an error is: `unreachable` (Postgres down, restarting, refusing connections, pool
 * exhausted, connection reset), `transient` (serialization failure, deadlock, lock timeout: the
 * database is up, the same work will succeed again), or undefined (the event's or the handler's).
 * Looks through TypeORM's `driverError`, `cause` chains and AggregateErrors.
 */
export function classifyFailure(e: unknown, depth = 0): 'unreachable' | 'transient' | undefined {
  if (!e || typeof e !== 'object' || depth > 5) return undefined;
  const err = e as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown; errors?: unknown };
  const code = typeof err.code === 'string' ? err.code : undefined;
  if (code) {
    if (TRANSIENT_SQLSTATES.has(code)) return 'transient';
    if (/^[0-9A-Z]{5}$/.test(code) && UNREACHABLE_SQLSTATE_CLASSES.includes(code.slice(0, 2))) return 'unreachable';
    if (UNREACHABLE_NODE_CODES.has(code)) return 'unreachable';
  }
  const message = typeof err.message === 'string' ? err.message : '';
  if (UNREACHABLE_MESSAGES.some((re) => re.test(message))) return 'unreachable';
  const nested = [...(Array.isArray(err.errors) ? (err.errors as unknown[]) : []), err.driverError, err.cause];
  for (const x of nested) {
    const c = classifyFailure(x, depth + 1);
    if (c) return c;
  }
  return undefined;
}

/**
 * Whether an error is the infrastructure's rather than the event's or the handler's. Such a failure
 * must not count against the message: the event is fine, the database is not.
 */
export function isInfrastructureError(e: unknown): boolean {
  return classifyFailure(e) !== undefined;
}
