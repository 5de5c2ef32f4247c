import { Transform } from 'class-transformer';
import { IsInt, IsNumber, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

const toNumber = ({ value }: { value: unknown }) => (typeof value === 'string' && value.trim() !== '' ? Number(value) : value);

/**
 * Tracing's own variables, validated before anything else loads (see `startTracing`). They are the
 * OpenTelemetry names, but only these are read: the SDK's own environment configuration is not used.
 */
export class TracingConfig {
  /**
   * OTLP/HTTP collector base URL (`http://otel-collector:4318`); spans go to `<url>/v1/traces`.
   * Unset: tracing is off and the SDK is never loaded.
   */
  @IsOptional()
  @IsString()
  @Matches(/^https?:\/\/[^\s/]+(\/\S*)?$/, { message: 'OTEL_EXPORTER_OTLP_ENDPOINT must be an http(s):// URL' })
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;

  /** The `service.name` of the spans; default the service's own name. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9_.-]{1,64}$/, { message: 'OTEL_SERVICE_NAME must be 1-64 of A-Za-z0-9_.-' })
  OTEL_SERVICE_NAME?: string;

  /** Share of new traces recorded (0-1); a trace started elsewhere follows its parent's decision. */
  @Transform(toNumber)
  @IsNumber({}, { message: 'OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1' })
  @Min(0)
  @Max(1)
  OTEL_TRACES_SAMPLER_ARG: number = 1;

  /** Milliseconds between two exports of finished spans. */
  @Transform(toNumber)
  @IsInt()
  @Min(50)
  @Max(60000)
  OTEL_BSP_SCHEDULE_DELAY: number = 5000;
}
