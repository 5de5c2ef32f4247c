import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

function flatten(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((e) => {
    const name = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((m) => `${name}: ${m}`);
    return [...own, ...flatten(e.children ?? [], name)];
  });
}

/**
 * Validate environment variables once, at boot, into a typed object. A bad or missing variable fails
 * start-up with a message naming it. Unknown variables are ignored (the process environment is shared).
 */
export function loadConfig<T extends object>(cls: new () => T, env: Record<string, string | undefined>): T {
  const instance = plainToInstance(cls, { ...env }, { enableImplicitConversion: false, exposeDefaultValues: true });
  const errors = validateSync(instance, { whitelist: false, forbidUnknownValues: true });
  if (errors.length > 0) throw new ConfigError(flatten(errors));
  return instance;
}

/** The one place that reads the process environment. */
export function processEnv(): Record<string, string | undefined> {
  return process.env;
}
