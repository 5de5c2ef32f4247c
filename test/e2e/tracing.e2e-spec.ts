import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Harness, startHarness } from '../harness';

/**
 * One submission, one trace: the built services as processes with tracing on, exporting over
 * OTLP/HTTP (JSON) to a collector in this test that keeps every span in memory. The order's spans —
 * intake's HTTP request and its SQL, the outbox publish, and the consumers of dispatch, sla and
 * analytics with what they publish in turn — share the trace id the submission was answered with.
 */

interface CollectedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
}

interface OtlpAttr {
  key: string;
  value: { stringValue?: string; intValue?: string | number; boolValue?: boolean };
}
interface OtlpBody {
  resourceSpans: {
    resource: { attributes: OtlpAttr[] };
    scopeSpans: {
      spans: { traceId: string; spanId: string; parentSpanId?: string; name: string; kind: number; attributes?: OtlpAttr[] }[];
    }[];
  }[];
}

const isSql = (s: CollectedSpan) => (s.attributes['db.system.name'] ?? s.attributes['db.system']) === 'postgresql';

const attrs = (list: OtlpAttr[] = []) =>
  Object.fromEntries(list.map((a) => [a.key, a.value.stringValue ?? a.value.intValue ?? a.value.boolValue]));

/** An OTLP/HTTP JSON receiver: the spans stay in `spans`. */
async function startCollector(): Promise<{ url: string; spans: CollectedSpan[]; requests: () => number; close(): Promise<void> }> {
  const spans: CollectedSpan[] = [];
  let requests = 0;
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests++;
      if (req.url !== '/v1/traces' || !String(req.headers['content-type']).includes('json')) {
        res.writeHead(415).end();
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpBody;
      for (const rs of body.resourceSpans) {
        const service = String(attrs(rs.resource.attributes)['service.name']);
        for (const ss of rs.scopeSpans) {
          for (const s of ss.spans) {
            spans.push({
              service,
              traceId: s.traceId,
              spanId: s.spanId,
              parentSpanId: s.parentSpanId || undefined,
              name: s.name,
              kind: s.kind,
              attributes: attrs(s.attributes),
            });
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    requests: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function until<T>(what: string, fn: () => T | undefined | false, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

// OTLP span kinds
const SERVER = 2;
const PRODUCER = 4;
const CONSUMER = 5;

describe('tracing: one submission is one trace across the services', () => {
  let collector: Awaited<ReturnType<typeof startCollector>>;
  let h: Harness;

  beforeAll(async () => {
    collector = await startCollector();
    h = await startHarness({
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, OTEL_BSP_SCHEDULE_DELAY: '200' },
      appEnv: { intake: { LOG_LEVEL: 'info' } },
      readyTimeoutMs: 120_000,
    });
  }, 240_000);

  afterAll(async () => {
    await h?.stop();
    await collector?.close();
  });

  it('carries the trace from intake through the outbox and NATS to dispatch, sla and analytics', async () => {
    const res = await fetch(`${h.urls.intake}/public/requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        content: '小区天然气已经停了两天了，做不了饭',
        citizen: { name: '马丽', phone: '0971-8123456' },
        location: { address: '城北区朝阳街道某小区' },
      }),
    });
    expect(res.status).toBe(201);
    const traceparent = res.headers.get('traceparent');
    expect(traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    const traceId = traceparent!.split('-')[1];
    const inTrace = () => collector.spans.filter((s) => s.traceId === traceId);
    const consumed = (service: string) => inTrace().find((s) => s.service === service && s.kind === CONSUMER);

    // Every service the order passes through reports a consumer span in the same trace.
    await until('dispatch, sla and analytics spans in the trace', () => consumed('dispatch') && consumed('sla') && consumed('analytics'));
    const spans = inTrace();
    const services = new Set(spans.map((s) => s.service));
    expect([...services].sort()).toEqual(expect.arrayContaining(['analytics', 'dispatch', 'intake', 'sla']));

    // intake: the HTTP request (server span), its SQL (pg instrumentation), the outbox publish.
    const server = spans.find((s) => s.service === 'intake' && s.kind === SERVER);
    expect(server?.attributes['http.route'] ?? server?.name).toMatch(/public\/requests/);
    expect(spans.some((s) => s.service === 'intake' && isSql(s))).toBe(true);
    const accepted = spans.find((s) => s.service === 'intake' && s.kind === PRODUCER && /ticket\.accepted\.v1/.test(s.name));
    expect(accepted).toBeDefined();

    // dispatch's consumer span is the child of intake's publish: the context crossed the outbox row and the NATS headers.
    const dispatchConsumes = spans.find((s) => s.service === 'dispatch' && s.kind === CONSUMER && /ticket\.accepted\.v1/.test(s.name));
    expect(dispatchConsumes?.parentSpanId).toBe(accepted!.spanId);
    expect(dispatchConsumes?.attributes['messaging.consumer.group.name']).toMatch(/^dispatch/);
    // ...and what dispatch does inside it (its SQL, the event it publishes) hangs under that span's trace.
    expect(spans.some((s) => s.service === 'dispatch' && isSql(s))).toBe(true);
    const dispatched = spans.find((s) => s.service === 'dispatch' && s.kind === PRODUCER && /ticket\.dispatched\.v1/.test(s.name));
    expect(dispatched).toBeDefined();
    expect(spans.some((s) => s.service === 'sla' && s.kind === CONSUMER && s.parentSpanId === dispatched!.spanId)).toBe(true);

    // Every span of the trace has its parent in the trace (one tree, not fragments sharing an id).
    await until(
      'the trace complete',
      () => {
        const ids = new Set(inTrace().map((s) => s.spanId));
        return inTrace().every((s) => !s.parentSpanId || ids.has(s.parentSpanId));
      },
      20_000,
    );

    // The log lines carry the trace id (pino's request log of the submission).
    await until('a log line with the trace id', () => h.logs('intake').includes(`"traceId":"${traceId}"`), 10_000);
  });

  it('does not trace probes and scrapes', async () => {
    const before = collector.spans.length;
    await fetch(`${h.urls.dispatch}/health/ready`);
    await fetch(`${h.urls.dispatch}/metrics`);
    await new Promise((r) => setTimeout(r, 1000));
    const probes = collector.spans.slice(before).filter((s) => /health|metrics/.test(`${s.name} ${JSON.stringify(s.attributes)}`));
    expect(probes).toEqual([]);
  });
});
