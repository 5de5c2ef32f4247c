import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The allocators' settings the image's runtime `ENV` holds (Dockerfile). */
export const ALLOCATOR_ENV = ['MALLOC_ARENA_MAX', 'MIMALLOC_ALLOW_THP'] as const;
export type AllocatorEnv = Partial<Record<(typeof ALLOCATOR_ENV)[number], string>>;

/**
 * The allocator settings the services' image sets in its runtime `ENV` (`root`/Dockerfile): glibc's
 * `MALLOC_ARENA_MAX`, and `MIMALLOC_ALLOW_THP` for the mimalloc in intake's segmenter. Their RSS
 * depends on these as much as on the V8 flags, so the bench's `--as-deployed` and the production-tree
 * check (from `dist/scripts/image-env.js`) start the services with them. Those the file does not set
 * are left out.
 */
export function imageAllocatorEnv(root: string): AllocatorEnv {
  const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
  const env: AllocatorEnv = {};
  for (const name of ALLOCATOR_ENV) {
    const m = new RegExp(`^\\s*${name}=(\\d+)`, 'm').exec(dockerfile);
    if (m) env[name] = m[1];
  }
  return env;
}
