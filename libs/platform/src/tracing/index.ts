/**
 * OpenTelemetry for a service: `import './tracing'` is the first line of every app's `main.ts`, and
 * that file calls `startTracing('<service>')`. It must run before `http`, `express`, `@nestjs/core`
 * and `pg` are loaded, because the instrumentations patch those modules as they are required; so
 * this entry point imports nothing but the configuration check and the trace helpers (no
 * `@app/platform` index, which loads the whole platform).
 */
import type { IncomingMessage } from 'node:http';
import { loadConfig, processEnv } from '../config/load-config';
import { markTracingStarted } from '../logging/trace';
import { TracingConfig } from './tracing-config';

export { TracingConfig } from './tracing-config';

export interface TracingHandle {
  /** Export what is buffered and stop (the SIGTERM path). */
  shutdown(): Promise<void>;
}

let handle: TracingHandle | undefined;

/**
 * Start the OpenTelemetry Node SDK when `OTEL_EXPORTER_OTLP_ENDPOINT` is set: HTTP (server and
 * client), Express, Nest and pg instrumentations, W3C trace context, OTLP/HTTP export in batches.
 * Unset, nothing is loaded and the process keeps the light trace ids of `logging/trace.ts`.
 * A bad variable stops the process here with a message that names it.
 */
export function startTracing(service: string, env: Record<string, string | undefined> = processEnv()): TracingHandle | undefined {
  if (handle) return handle;
  const config = loadConfig(TracingConfig, env);
  if (!config.OTEL_EXPORTER_OTLP_ENDPOINT) return undefined;
  handle = startSdk(service, config, config.OTEL_EXPORTER_OTLP_ENDPOINT);
  return handle;
}

/* eslint-disable @typescript-eslint/no-require-imports -- loaded only when tracing is on: nothing to pay when it is off */
function startSdk(service: string, config: TracingConfig, endpoint: string): TracingHandle {
  const { NodeSDK } = require('@opentelemetry/sdk-node') as typeof import('@opentelemetry/sdk-node');
  const { BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler } =
    require('@opentelemetry/sdk-trace') as typeof import('@opentelemetry/sdk-trace');
  const { OTLPTraceExporter } =
    require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
  const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');
  const { ExpressInstrumentation } =
    require('@opentelemetry/instrumentation-express') as typeof import('@opentelemetry/instrumentation-express');
  const { NestInstrumentation } =
    require('@opentelemetry/instrumentation-nestjs-core') as typeof import('@opentelemetry/instrumentation-nestjs-core');
  const { PgInstrumentation } = require('@opentelemetry/instrumentation-pg') as typeof import('@opentelemetry/instrumentation-pg');
  const { resourceFromAttributes } = require('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
  /* eslint-enable @typescript-eslint/no-require-imports */

  const exporter = new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, '')}/v1/traces` });
  const sdk = new NodeSDK({
    resource: resourceFromAttributes({ 'service.name': config.OTEL_SERVICE_NAME ?? service, 'service.namespace': 'jiesu' }),
    autoDetectResources: false,
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(config.OTEL_TRACES_SAMPLER_ARG) }),
    spanProcessors: [new BatchSpanProcessor({ exporter, scheduledDelayMillis: config.OTEL_BSP_SCHEDULE_DELAY })],
    // Traces only: metrics stay on /metrics (prom-client), logs on stdout.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({
        // Probes and scrapes are not traces.
        ignoreIncomingRequestHook: (req: IncomingMessage) => /^\/(health|metrics)(\/|$|\?)/.test(req.url ?? ''),
      }),
      new ExpressInstrumentation(),
      new NestInstrumentation(),
      // Only queries of a request or a message: the relay's sweep and the pollers would each be a trace of their own.
      new PgInstrumentation({ requireParentSpan: true }),
    ],
  });
  sdk.start();
  markTracingStarted();
  return { shutdown: () => sdk.shutdown() };
}

/** The running SDK (for the shutdown hook), if tracing is on. */
export function tracingHandle(): TracingHandle | undefined {
  return handle;
}

/** `startTracing` for a `main.ts`: a configuration error stops the process with its message, as the service's own config does. */
export function startServiceTracing(service: string): void {
  try {
    startTracing(service);
  } catch (e) {
    console.error((e as Error).message);
    process.exit(1);
  }
}
