/**
 * The OpenAPI decorators every controller and DTO uses, and the document builder: `@nestjs/swagger`
 * itself when the service serves its OpenAPI document (`SWAGGER`, see `swaggerEnabled`), and
 * otherwise `@nestjs/swagger`'s own no-op shim (`dist/extra/swagger-shim.js`, which the package
 * ships for code that carries its decorators where no document is built) with the mapped types
 * from `@nestjs/mapped-types` (the shim's `PartialType` is an empty class; the real one keeps a
 * DTO's validation rules).
 *
 * Production serves no document unless `SWAGGER=true`, so a service there never loads the
 * package's index, lodash and js-yaml: 1 to 5 MB less resident memory per service at the end
 * of 10,000 orders (bench/README.md). The choice is made once, when this module is first loaded,
 * from the same two variables the validated configuration reads; `configureServiceApp` refuses to
 * boot if they disagree (a document asked for after the shim was loaded).
 *
 * Import these from `@app/platform`, never from `@nestjs/swagger`: an eslint rule keeps it so.
 */
import type * as Swagger from '@nestjs/swagger';
import type * as MappedTypes from '@nestjs/mapped-types';
import { dirname, join } from 'node:path';
import { processEnv } from '../config/load-config';

/** Swagger UI and the OpenAPI document: on unless switched off, and off in production unless switched on. */
export function swaggerEnabled(config: { SWAGGER?: string; NODE_ENV?: string }): boolean {
  return config.SWAGGER === undefined ? config.NODE_ENV !== 'production' : config.SWAGGER === 'true';
}

/** Whether this process loaded `@nestjs/swagger` (true) or its shim (false). */
export const openApiLoaded = swaggerEnabled(processEnv());

type OpenApi = typeof Swagger;

function load(): OpenApi {
  /* eslint-disable @typescript-eslint/no-require-imports -- which module to load is decided at run time */
  if (openApiLoaded) return require('@nestjs/swagger') as OpenApi;
  // The package exports only its index and package.json; the shim is found beside the latter.
  const shim = require(join(dirname(require.resolve('@nestjs/swagger/package.json')), 'dist', 'extra', 'swagger-shim.js')) as OpenApi;
  const mapped = require('@nestjs/mapped-types') as typeof MappedTypes;
  /* eslint-enable @typescript-eslint/no-require-imports */
  return {
    ...shim,
    PartialType: mapped.PartialType,
    PickType: mapped.PickType,
    OmitType: mapped.OmitType,
    IntersectionType: mapped.IntersectionType,
  };
}

const openApi = load();

export const {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiExcludeController,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  ApiTags,
  DocumentBuilder,
  PartialType,
  SwaggerModule,
} = openApi;
