import { context, propagation, ROOT_CONTEXT, Span, SpanKind, SpanStatusCode, trace as otel } from '@opentelemetry/api';
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';

/** The W3C trace context of the work in progress (HTTP request or bus message). */
export interface TraceContext {
  traceId: string;
  spanId: string;
}

/**
 * Two modes. With OpenTelemetry on (`startTracing`, `@app/platform/tracing`), the trace is the
 * active OpenTelemetry span: the HTTP instrumentation opens one per request, the bus one per
 * publish and per message. With it off (the default: no SDK is loaded), a trace id and span id are
 * kept in an AsyncLocalStorage of our own, so logs and the outbox still carry the trace across the
 * services at the cost of one random number per request.
 */
const storage = new AsyncLocalStorage<TraceContext>();
let otelOn = false;

/** Called once by `startTracing` when the SDK is registered. */
export function markTracingStarted(): void {
  otelOn = true;
}

export function tracingStarted(): boolean {
  return otelOn;
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$/;

/**
 * Random ids for traces and spans, hex, taken from a pool filled 4 KB at a time: one
 * `randomBytes` call (a trip into OpenSSL and a new Buffer) per id was a measurable part of what
 * every consumed message costs (bench/event-parse.bench.ts).
 */
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let poolOffset = 0;

function randomHex(bytes: number): string {
  if (poolOffset + bytes > pool.length) {
    pool = randomBytes(POOL_BYTES);
    poolOffset = 0;
  }
  const hex = pool.toString('hex', poolOffset, poolOffset + bytes);
  poolOffset += bytes;
  return hex;
}

export function newTrace(): TraceContext {
  return { traceId: randomHex(16), spanId: randomHex(8) };
}

/** Continue the caller's trace (new span) or start a new one. */
export function traceFromHeader(traceparent: string | undefined | null): TraceContext {
  const m = traceparent ? TRACEPARENT.exec(traceparent.trim()) : null;
  return m ? { traceId: m[1], spanId: randomHex(8) } : newTrace();
}

export function toTraceparent(ctx: TraceContext): string {
  return `00-${ctx.traceId}-${ctx.spanId}-01`;
}

function activeSpanTrace(): TraceContext | undefined {
  if (!otelOn) return undefined;
  const span = otel.getActiveSpan();
  if (!span) return undefined;
  const sc = span.spanContext();
  return otel.isSpanContextValid(sc) ? { traceId: sc.traceId, spanId: sc.spanId } : undefined;
}

export function currentTrace(): TraceContext | undefined {
  return activeSpanTrace() ?? storage.getStore();
}

/**
 * The `traceparent` header for work started now: the active span's context as OpenTelemetry's
 * propagator writes it (sampled flag included), or the light trace's.
 */
export function currentTraceparent(): string | undefined {
  if (otelOn) {
    const carrier: Record<string, string> = {};
    propagation.inject(context.active(), carrier);
    if (carrier.traceparent) return carrier.traceparent;
  }
  const t = storage.getStore();
  return t ? toTraceparent(t) : undefined;
}

export function runWithTrace<T>(ctx: TraceContext, fn: () => T): T {
  return storage.run(ctx, fn);
}

/** For an HTTP request: the instrumentation's server span when tracing is on, else the caller's trace continued. */
export function traceForRequest(traceparent: string | undefined): TraceContext {
  return activeSpanTrace() ?? traceFromHeader(traceparent);
}

function tracer() {
  return otel.getTracer('jiesu-bus');
}

function endSpan(span: Span, error?: unknown): void {
  if (error !== undefined) {
    span.recordException(error as Error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.message });
  }
  span.end();
}

/**
 * Run a bus message's handling inside the trace its publisher started (`traceparent` header): a
 * CONSUMER span when tracing is on, the light trace otherwise.
 */
export async function inConsumerTrace<T>(
  headers: Record<string, string>,
  name: string,
  attributes: Record<string, string | number>,
  fn: () => Promise<T>,
): Promise<T> {
  if (!otelOn) return runWithTrace(traceFromHeader(headers.traceparent), fn);
  const parent = propagation.extract(ROOT_CONTEXT, headers);
  const span = tracer().startSpan(name, { kind: SpanKind.CONSUMER, attributes }, parent);
  try {
    const r = await context.with(otel.setSpan(parent, span), fn);
    endSpan(span);
    return r;
  } catch (e) {
    endSpan(span, e);
    throw e;
  }
}

/**
 * Publishing one outbox row: a PRODUCER span, child of the trace stored with the row, whose context
 * goes out in the NATS headers (so the consumers' spans hang under it). Off: the stored headers as they are.
 */
export async function inProducerTrace<T>(
  stored: Record<string, string>,
  name: string,
  attributes: Record<string, string | number>,
  fn: (headers: Record<string, string>) => Promise<T>,
): Promise<T> {
  if (!otelOn) return fn(stored);
  const parent = propagation.extract(ROOT_CONTEXT, stored);
  const span = tracer().startSpan(name, { kind: SpanKind.PRODUCER, attributes }, parent);
  const headers: Record<string, string> = { ...stored };
  propagation.inject(otel.setSpan(parent, span), headers);
  try {
    const r = await fn(headers);
    endSpan(span);
    return r;
  } catch (e) {
    endSpan(span, e);
    throw e;
  }
}
