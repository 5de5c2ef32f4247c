import { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MicroserviceOptions, Transport } from '@nestjs/microservices';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { NextFunction, Request, Response } from 'express';
import { Logger } from 'nestjs-pino';
import { ServiceConfig } from '../config/service-config';
import { runWithTrace, toTraceparent, traceFromHeader } from '../logging/trace';
import { HttpErrorFilter, validationPipe } from './http-errors';

export interface ServiceMeta {
  service: string;
  title: string;
  description: string;
  /** Serve request/reply queries (`@MessagePattern`) over core NATS, in a queue group per service. */
  queries?: boolean;
}

function traceMiddleware(req: Request, res: Response, next: NextFunction): void {
  const trace = traceFromHeader(req.headers.traceparent as string | undefined);
  res.setHeader('traceparent', toTraceparent(trace));
  runWithTrace(trace, next);
}

/** The same wiring for `main.ts` and for tests that build the app from a testing module. */
export function configureServiceApp(app: INestApplication, config: ServiceConfig, meta: ServiceMeta): INestApplication {
  app.useLogger(app.get(Logger));
  app.use(traceMiddleware);
  app.useGlobalPipes(validationPipe());
  app.useGlobalFilters(new HttpErrorFilter());
  app.enableShutdownHooks();
  if (config.SWAGGER === 'true') {
    const doc = SwaggerModule.createDocument(
      app,
      new DocumentBuilder().setTitle(meta.title).setDescription(meta.description).setVersion('1').addBearerAuth().build(),
    );
    SwaggerModule.setup('docs', app, doc, { jsonDocumentUrl: 'docs-json' });
  }
  if (meta.queries) {
    app.connectMicroservice<MicroserviceOptions>({
      transport: Transport.NATS,
      options: { servers: config.NATS_URL.split(','), queue: `${config.BUS_PREFIX}-${meta.service}-queries` },
    });
  }
  return app;
}

/** Boot a service: create, configure, start its query listener and HTTP server. */
export async function runService(
  module: Type<unknown> | import('@nestjs/common').DynamicModule,
  config: ServiceConfig,
  meta: ServiceMeta,
): Promise<INestApplication> {
  const app = await NestFactory.create(module, { bufferLogs: true });
  configureServiceApp(app, config, meta);
  await app.startAllMicroservices();
  await app.listen(config.PORT, '0.0.0.0');
  return app;
}
