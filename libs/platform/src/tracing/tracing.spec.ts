import { startTracing } from './index';

describe('startTracing', () => {
  it('is off without OTEL_EXPORTER_OTLP_ENDPOINT', () => {
    expect(startTracing('intake', {})).toBeUndefined();
  });

  it('refuses a bad variable at boot, naming it', () => {
    expect(() => startTracing('intake', { OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(
      /OTEL_EXPORTER_OTLP_ENDPOINT must be an http\(s\):\/\/ URL/,
    );
    expect(() => startTracing('intake', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_TRACES_SAMPLER_ARG: '2' })).toThrow(
      /OTEL_TRACES_SAMPLER_ARG/,
    );
    expect(() => startTracing('intake', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_SERVICE_NAME: 'a b' })).toThrow(
      /OTEL_SERVICE_NAME/,
    );
  });
});
