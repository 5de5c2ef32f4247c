// The first import of main.ts: OpenTelemetry patches http, express, Nest and pg as they load, so it
// starts before anything else is required (off, and nothing loaded, unless OTEL_EXPORTER_OTLP_ENDPOINT is set).
import { startServiceTracing } from '@app/platform/tracing';

startServiceTracing('callback');
