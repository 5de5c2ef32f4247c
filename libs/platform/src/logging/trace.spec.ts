import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import {
  currentTrace,
  currentTraceparent,
  inConsumerTrace,
  inProducerTrace,
  markTracingStarted,
  runWithTrace,
  traceFromHeader,
  tracingStarted,
} from './trace';

const TRACE = '0af7651916cd43dd8448eb211c80319c';
const PARENT = 'b7ad6b7169203331';

describe('trace context without OpenTelemetry (the default)', () => {
  it('keeps a light trace id for logs and the outbox, continuing the caller', async () => {
    expect(tracingStarted()).toBe(false);
    expect(currentTrace()).toBeUndefined();
    const t = traceFromHeader(`00-${TRACE}-${PARENT}-01`);
    expect(t.traceId).toBe(TRACE);
    expect(t.spanId).not.toBe(PARENT);
    await runWithTrace(t, async () => {
      expect(currentTraceparent()).toBe(`00-${TRACE}-${t.spanId}-01`);
    });
    // A bus message continues the publisher's trace; the stored headers go out as they are.
    await inConsumerTrace({ traceparent: `00-${TRACE}-${PARENT}-01` }, 'x process', {}, async () => {
      expect(currentTrace()?.traceId).toBe(TRACE);
    });
    await inProducerTrace({ traceparent: 'kept' }, 'x publish', {}, async (headers) => {
      expect(headers).toEqual({ traceparent: 'kept' });
    });
  });
});

describe('trace context with OpenTelemetry (in-memory exporter)', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });

  beforeAll(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    trace.setGlobalTracerProvider(provider);
    markTracingStarted();
  });
  afterAll(() => provider.shutdown());

  it('links publish and consume spans across the headers, and logs see the active span', async () => {
    // The outbox row was written inside a request whose span is PARENT of trace TRACE.
    const stored = { traceparent: `00-${TRACE}-${PARENT}-01` };
    let sent: Record<string, string> = {};
    await inProducerTrace(stored, 'hotline.630104.ticket.accepted.v1 publish', { 'messaging.system': 'nats' }, async (headers) => {
      sent = headers;
    });
    const [publish] = exporter.getFinishedSpans();
    expect(publish.kind).toBe(SpanKind.PRODUCER);
    expect(publish.spanContext().traceId).toBe(TRACE);
    expect(publish.parentSpanContext?.spanId).toBe(PARENT);
    // The NATS headers carry the publish span, not the stored parent.
    expect(sent.traceparent).toBe(`00-${TRACE}-${publish.spanContext().spanId}-01`);

    let seen: ReturnType<typeof currentTrace>;
    let outgoing: string | undefined;
    await inConsumerTrace(sent, 'hotline.630104.ticket.accepted.v1 process', { 'messaging.consumer.group.name': 'dispatch' }, async () => {
      await new Promise((r) => setTimeout(r, 1));
      seen = currentTrace();
      outgoing = currentTraceparent();
    });
    const consume = exporter.getFinishedSpans()[1];
    expect(consume.kind).toBe(SpanKind.CONSUMER);
    expect(consume.parentSpanContext?.spanId).toBe(publish.spanContext().spanId);
    expect(seen).toEqual({ traceId: TRACE, spanId: consume.spanContext().spanId });
    // What the handler publishes in turn joins the same trace, under the consumer span.
    expect(outgoing).toBe(`00-${TRACE}-${consume.spanContext().spanId}-01`);
  });

  it('marks a failed handling on its span and rethrows', async () => {
    exporter.reset();
    await expect(
      inConsumerTrace({}, 'y process', {}, async () => {
        throw new Error('database down');
      }),
    ).rejects.toThrow('database down');
    const [span] = exporter.getFinishedSpans();
    expect(span.status).toMatchObject({ code: 2, message: 'database down' });
    expect(span.parentSpanContext).toBeUndefined();
  });
});
