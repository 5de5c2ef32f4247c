import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { NatsConnection } from 'nats';
import { IncomingMessage, ServerResponse } from 'node:http';
import { AuthGuard } from './auth/auth.guard';
import { AUTH_OPTIONS, AuthOptions, TokenVerifier } from './auth/token-verifier';
import { BUS_OPTIONS, BusOptions, DATABASE_CIRCUIT, HANDLER_BUDGET, NATS_CONNECTION } from './bus/bus.tokens';
import { HandlerBudget } from './bus/handler-budget';
import { DatabaseCircuit } from './database/database-circuit';
import { DataSource } from 'typeorm';
import { getDataSourceToken } from '@nestjs/typeorm';
import { BusMetrics } from './bus/bus.metrics';
import { ConsumerHost } from './bus/consumer-host';
import { DeadLetterController } from './bus/dead-letter.controller';
import { DeadLetterService } from './bus/dead-letter.service';
import { connectNats, ensureStream, jetStreamBootError, jetStreamOptions } from './bus/jetstream';
import { Outbox } from './bus/outbox';
import { OutboxRelay } from './bus/outbox-relay';
import { PgListener } from './database/pg-listener';
import { ConfigError } from './config/load-config';
import { handlerBudgetOf, ServiceConfig } from './config/service-config';
import { configuredDatabaseOptions, PersistenceSpec } from './database/database-options';
import { transactionModule } from './database/transactions';
import { HealthService } from './health/health.service';
import { OpsController } from './health/ops.controller';
import { redactRequestForLog } from './http/log-redaction';
import { PublicThrottlerGuard, publicThrottler } from './http/public-throttle';
import { currentTrace } from './logging/trace';
import { BusStateMetrics } from './metrics/bus-state.metrics';
import { MetricsRegistry } from './metrics/metrics.registry';
import { CLOCK, SystemClock } from './time/clock';

export const DEV_JWT_SECRET = 'dev-only-secret-change-me-0123456789';

export interface ServiceSpec {
  /** `intake`, `dispatch`, ...: producer name, default schema, durable consumer prefix. */
  service: string;
  config: ServiceConfig;
  persistence: PersistenceSpec;
  /**
   * Install the global bearer-token guard (default). The console authenticates browsers by session
   * cookie and installs its own guard instead.
   */
  bearerAuth?: boolean;
}

@Injectable()
class NatsLifecycle implements OnApplicationShutdown {
  constructor(@Inject(NATS_CONNECTION) private readonly nc: NatsConnection) {}

  async onApplicationShutdown(): Promise<void> {
    if (!this.nc.isClosed()) await this.nc.drain().catch(() => this.nc.close());
  }
}

/** A service's Postgres schema is its name; its migrations name it. */
export function schemaOf(spec: Pick<ServiceSpec, 'service'>): string {
  return spec.service;
}

export function busOptionsOf(spec: Pick<ServiceSpec, 'service' | 'config'>): BusOptions {
  const c = spec.config;
  return {
    service: spec.service,
    natsUrl: c.NATS_URL,
    prefix: c.BUS_PREFIX,
    stream: c.BUS_STREAM,
    maxDeliver: c.BUS_MAX_DELIVER,
    concurrency: c.BUS_CONCURRENCY,
    batch: c.BUS_BATCH,
    lingerMs: c.BUS_BATCH_LINGER_MS,
    sweepMs: c.BUS_SWEEP_MS,
    districts: c.SERVE_DISTRICTS,
    schema: schemaOf(spec),
    ackWaitSeconds: c.BUS_ACK_WAIT_SECONDS,
    backoffBaseMs: c.BUS_BACKOFF_BASE_MS,
    earlyEventHorizonSeconds: c.BUS_EARLY_EVENT_HORIZON_SECONDS,
    maxEventBytes: c.BUS_MAX_EVENT_BYTES,
    jsDomain: c.BUS_JS_DOMAIN,
    newConsumersFrom: c.BUS_NEW_CONSUMERS_FROM,
  };
}

/**
 * How the service verifies tokens: the console's JWKS (public keys only), or, in development with
 * AUTH_DEV_TOKENS=true, also HS256 development tokens. Production refuses every shared secret at boot.
 */
export function authOptionsOf(c: ServiceConfig, service: string): AuthOptions {
  const dev = c.AUTH_DEV_TOKENS === 'true';
  if (c.NODE_ENV === 'production') {
    const problems: string[] = [];
    if (dev) problems.push("AUTH_DEV_TOKENS: development tokens are refused in production (set AUTH_JWKS_URL to the console's JWKS)");
    if (c.AUTH_JWT_SECRET)
      problems.push(
        "AUTH_JWT_SECRET: shared secrets are refused in production; a service holds only the console's public keys (AUTH_JWKS_URL)",
      );
    if (problems.length) throw new ConfigError(problems);
  }
  if (!c.AUTH_JWKS_URL && !dev) throw new ConfigError(['AUTH_JWKS_URL: required (or, in development only, AUTH_DEV_TOKENS=true)']);
  return {
    jwksUrl: c.AUTH_JWKS_URL,
    issuer: c.AUTH_ISSUER,
    audiences: [c.AUTH_AUDIENCE ?? service],
    algorithms: c.AUTH_ALGORITHMS,
    maxLifetimeSeconds: c.AUTH_MAX_TOKEN_LIFETIME_SECONDS,
    clockSkewSeconds: c.AUTH_CLOCK_SKEW_SECONDS,
    jwksCacheSeconds: c.AUTH_JWKS_CACHE_SECONDS,
    tokenCacheEntries: c.AUTH_TOKEN_CACHE_ENTRIES,
    devSecret: dev ? (c.AUTH_JWT_SECRET ?? DEV_JWT_SECRET) : undefined,
  };
}

/**
 * Everything a Jiesu service needs besides its own domain: structured logs with trace ids, its
 * database schema, the JetStream bus (outbox, relay, consumers, dead letters), health, metrics,
 * authentication and the clock. Each app imports `PlatformModule.forService(...)` once.
 */
@Global()
@Module({})
export class PlatformModule {
  static forService(spec: ServiceSpec): DynamicModule {
    const c = spec.config;
    const bus = busOptionsOf(spec);
    return {
      module: PlatformModule,
      imports: [
        DiscoveryModule,
        LoggerModule.forRoot({
          pinoHttp: {
            level: c.LOG_LEVEL,
            base: { service: spec.service },
            messageKey: 'msg',
            mixin: () => {
              const t = currentTrace();
              return t ? { traceId: t.traceId, spanId: t.spanId } : {};
            },
            genReqId: (req: IncomingMessage) => currentTrace()?.traceId ?? String(req.headers['x-request-id'] ?? ''),
            autoLogging: { ignore: (req: IncomingMessage) => /^\/(health|metrics)/.test(req.url ?? '') },
            redact: ['req.headers.authorization', 'req.headers.cookie'],
            // No survey tokens, api keys or client addresses in the logs.
            serializers: { req: redactRequestForLog },
            // The request line is never the error log: 5xx are logged (rate-limited, with the cause) by the error filter.
            customLogLevel: (_req: IncomingMessage, res: ServerResponse, err?: Error) => (err || res.statusCode >= 500 ? 'warn' : 'info'),
          },
        }),
        publicThrottler(c, bus.schema),
        TypeOrmModule.forRoot(configuredDatabaseOptions(c, bus.schema, spec.persistence)),
        // Transactions held in async-local context: repositories read `txHost.tx` (database/transactions.ts).
        transactionModule(),
      ],
      controllers: [OpsController, DeadLetterController],
      providers: [
        { provide: BUS_OPTIONS, useValue: bus },
        {
          provide: NATS_CONNECTION,
          useFactory: async () => {
            const nc = await connectNats(c, `jiesu-${spec.service}`);
            try {
              await ensureStream(await nc.jetstreamManager(jetStreamOptions(c.BUS_JS_DOMAIN)), c.BUS_STREAM, c.BUS_PREFIX);
            } catch (e) {
              // Not left reconnecting forever in a process that carries on (a test booting apps in-process).
              await nc.close();
              throw jetStreamBootError(e, c.NATS_URL, c.BUS_JS_DOMAIN);
            }
            return nc;
          },
        },
        NatsLifecycle,
        { provide: HANDLER_BUDGET, useFactory: () => new HandlerBudget(handlerBudgetOf(c)) },
        {
          provide: DATABASE_CIRCUIT,
          inject: [getDataSourceToken()],
          useFactory: (ds: DataSource) => new DatabaseCircuit(() => ds.query('SELECT 1')),
        },
        MetricsRegistry,
        BusMetrics,
        BusStateMetrics,
        Outbox,
        OutboxRelay,
        PgListener,
        ConsumerHost,
        DeadLetterService,
        HealthService,
        { provide: AUTH_OPTIONS, useFactory: () => authOptionsOf(c, spec.service) },
        TokenVerifier,
        { provide: APP_GUARD, useClass: PublicThrottlerGuard },
        ...(spec.bearerAuth === false ? [] : [{ provide: APP_GUARD, useClass: AuthGuard }]),
        { provide: CLOCK, useClass: SystemClock },
      ],
      exports: [
        BUS_OPTIONS,
        NATS_CONNECTION,
        DATABASE_CIRCUIT,
        HANDLER_BUDGET,
        Outbox,
        OutboxRelay,
        PgListener,
        ConsumerHost,
        HealthService,
        MetricsRegistry,
        TokenVerifier,
        CLOCK,
      ],
    };
  }
}
