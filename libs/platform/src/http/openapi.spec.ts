import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..', '..');

/** The probe in a process of its own: which implementation loads is decided once, as a process starts. */
function probe(env: Record<string, string>) {
  const out = execFileSync(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', join(ROOT, 'libs/platform/src/testing/openapi-probe.ts')],
    { cwd: ROOT, env: { PATH: process.env.PATH, TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'), ...env }, encoding: 'utf8' },
  );
  return JSON.parse(out) as { openApiLoaded: boolean; swaggerIndex: boolean; lodash: boolean; partial: string[]; invalid: string[] };
}

describe('the OpenAPI decorators (http/openapi.ts)', () => {
  it('in production, without SWAGGER=true, come from the shim: @nestjs/swagger and lodash never load, and PartialType keeps the rules', () => {
    const r = probe({ NODE_ENV: 'production' });
    expect(r).toEqual({
      openApiLoaded: false,
      swaggerIndex: false,
      lodash: false,
      partial: [],
      invalid: ['title:maxLength', 'count:isInt'],
    });
    expect(probe({ NODE_ENV: 'test', SWAGGER: 'false' }).swaggerIndex).toBe(false);
  }, 60_000);

  it('where the document is served, come from @nestjs/swagger itself, with the same rules', () => {
    expect(probe({ NODE_ENV: 'production', SWAGGER: 'true' })).toEqual({
      openApiLoaded: true,
      swaggerIndex: true,
      lodash: true,
      partial: [],
      invalid: ['title:maxLength', 'count:isInt'],
    });
  }, 60_000);
});
