import { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { IncomingMessage, Server, ServerResponse } from 'node:http';
import { NestFactory } from '@nestjs/core';
import { MicroserviceOptions } from '@nestjs/microservices';
import { NextFunction, Request, Response } from 'express';
import { Logger } from 'nestjs-pino';
import { ServiceConfig } from '../config/service-config';
import { runWithTrace, toTraceparent, traceForRequest } from '../logging/trace';
import { NestExpressApplication } from '@nestjs/platform-express';
import { installBodyParsers } from './body-limits';
import { DocumentBuilder, openApiLoaded, swaggerEnabled, SwaggerModule } from './openapi';
import { HttpErrorFilter, setErrorLogLimit, validationPipe } from './http-errors';
import { PrefixedNatsServer } from './prefixed-nats.server';
import { natsConnectionOptions } from '../bus/jetstream';
import { MetricsRegistry } from '../metrics/metrics.registry';
import { httpMetricsMiddleware } from '../metrics/http.metrics';
import { tracingHandle } from '../tracing';

export interface ServiceMeta {
  service: string;
  title: string;
  description: string;
  /** Serve request/reply queries (`@MessagePattern`) over core NATS, in a queue group per service. */
  queries?: boolean;
  /** Runs before the app initialises, e.g. middleware that must see the raw request before the body parsers. */
  beforeInit?: (app: INestApplication) => void;
}

function traceMiddleware(req: Request, res: Response, next: NextFunction): void {
  // With OpenTelemetry on, the HTTP instrumentation's server span; otherwise the caller's trace continued.
  const trace = traceForRequest(req.headers.traceparent as string | undefined);
  res.setHeader('traceparent', toTraceparent(trace));
  runWithTrace(trace, next);
}

const timed = new WeakSet<INestApplication>();

/** Time every request (first middleware, so requests a `beforeInit` middleware answers are timed too); once per app. */
function installHttpMetrics(app: INestApplication): void {
  if (timed.has(app)) return;
  timed.add(app);
  app.use(httpMetricsMiddleware(app.get(MetricsRegistry).registry));
}

/** The same wiring for `main.ts` and for tests that build the app from a testing module. */
export function configureServiceApp(app: INestApplication, config: ServiceConfig, meta: ServiceMeta): INestApplication {
  app.useLogger(app.get(Logger));
  // req.ip is the client: X-Forwarded-For is followed only through the listed proxies.
  (app as NestExpressApplication).set('trust proxy', config.TRUSTED_PROXIES.length ? config.TRUSTED_PROXIES : false);
  app.use(traceMiddleware);
  installHttpMetrics(app);
  installBodyParsers(app, { maxBytes: config.HTTP_BODY_LIMIT_KB * 1024, maxDepth: config.HTTP_JSON_MAX_DEPTH });
  setErrorLogLimit(config.ERROR_LOG_PER_MINUTE);
  app.useGlobalPipes(validationPipe());
  app.useGlobalFilters(new HttpErrorFilter());
  if (swaggerEnabled(config)) {
    if (!openApiLoaded)
      throw new Error('SWAGGER: the configuration asks for the OpenAPI document, but the process loaded without @nestjs/swagger');
    const doc = SwaggerModule.createDocument(
      app,
      new DocumentBuilder().setTitle(meta.title).setDescription(meta.description).setVersion('1').addBearerAuth().build(),
    );
    SwaggerModule.setup('docs', app, doc, { jsonDocumentUrl: 'docs-json' });
  }
  if (meta.queries) {
    app.connectMicroservice<MicroserviceOptions>({
      strategy: new PrefixedNatsServer(
        { ...natsConnectionOptions(config, `jiesu-${meta.service}-queries`), queue: `${config.BUS_PREFIX}-${meta.service}-queries` },
        config.BUS_PREFIX,
      ),
    });
  }
  return app;
}

/**
 * Boot a service: create, configure, start its query listener and HTTP server, and shut down in the
 * right order on SIGTERM/SIGINT: first stop accepting HTTP requests and let those in flight finish,
 * then close the app (consumers stop pulling and finish their messages, the outbox relay publishes
 * what is committed, NATS is drained). Nest's own shutdown hooks would close the HTTP server last,
 * accepting orders while the relay is already stopped.
 */
export async function runService(
  module: Type<unknown> | DynamicModule,
  config: ServiceConfig,
  meta: ServiceMeta,
): Promise<INestApplication> {
  const app = await NestFactory.create(module, { bufferLogs: true });
  installHttpMetrics(app);
  meta.beforeInit?.(app);
  configureServiceApp(app, config, meta);
  await app.startAllMicroservices();
  await app.listen(config.PORT, '0.0.0.0');
  const server = app.getHttpServer() as Server;
  let stopping = false;
  // Once stopping, every response closes its connection, so keep-alive clients cannot go on
  // sending requests on sockets opened before the shutdown.
  server.prependListener('request', (_req: IncomingMessage, res: ServerResponse) => {
    if (stopping) res.setHeader('Connection', 'close');
  });
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    app.get(Logger).log({ msg: `${signal}: stopping`, service: meta.service });
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    // A request still hanging after 10 s is cut off rather than holding the shutdown forever.
    setTimeout(() => server.closeAllConnections(), 10_000).unref();
    void closed
      .then(() => app.close())
      // The last spans (the relay's final pass included) are exported before the process leaves.
      .then(() => tracingHandle()?.shutdown())
      .then(() => process.exit(0))
      .catch((e: Error) => {
        console.error(e);
        process.exit(1);
      });
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  return app;
}
