/**
 * Run in a child process by http/openapi.spec.ts (SWAGGER and NODE_ENV set by the test): loads the
 * OpenAPI decorators as a service does, declares a DTO and its PartialType with them, and prints
 * which implementation loaded, whether @nestjs/swagger's index or lodash is in the module cache, and
 * what class-validator makes of two bodies.
 */
import { IsInt, IsString, MaxLength, validateSync } from 'class-validator';
import { ApiProperty, ApiPropertyOptional, openApiLoaded, PartialType } from '../http/openapi';

class CreateThing {
  @ApiProperty({ description: '标题' })
  @IsString()
  @MaxLength(5)
  title!: string;

  @ApiPropertyOptional()
  @IsInt()
  count!: number;
}

class UpdateThing extends PartialType(CreateThing) {}

const loaded = Object.keys(require.cache);
const errors = (body: object) =>
  validateSync(Object.assign(new UpdateThing(), body)).map((e) => `${e.property}:${Object.keys(e.constraints ?? {}).join(',')}`);
process.stdout.write(
  JSON.stringify({
    openApiLoaded,
    swaggerIndex: loaded.some((f) => /@nestjs[\\/]swagger[\\/]dist[\\/]index\.js$/.test(f)),
    lodash: loaded.some((f) => /node_modules[\\/]lodash[\\/]/.test(f)),
    partial: errors({}),
    invalid: errors({ title: '超过五个字的标题', count: 'x' }),
  }),
);
