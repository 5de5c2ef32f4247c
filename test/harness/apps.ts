import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createInterface } from 'node:readline';

export const ROOT = join(__dirname, '..', '..');
export const APP_NAMES = ['console', 'intake', 'dispatch', 'sla', 'callback', 'analytics', 'notify'] as const;
export type AppName = (typeof APP_NAMES)[number];

const TAIL = 300;

/** One built app (`node dist/apps/<app>/src/main.js`) as a child process in its own process group. */
export class AppProcess {
  readonly tail: string[] = [];
  exit?: { code: number | null; signal: NodeJS.Signals | null };
  readonly exited: Promise<void>;
  private readonly child: ChildProcess;

  constructor(
    readonly name: AppName,
    readonly port: number,
    env: NodeJS.ProcessEnv,
  ) {
    this.child = spawn(process.execPath, ['-r', './scripts/register-paths.js', join('dist', 'apps', name, 'src', 'main.js')], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        resolve();
      });
      this.child.once('error', (e) => {
        this.tail.push(`spawn error: ${e.message}`);
        this.exit = { code: -1, signal: null };
        resolve();
      });
    });
    for (const stream of [this.child.stdout!, this.child.stderr!]) {
      createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
        this.tail.push(line);
        if (this.tail.length > TAIL) this.tail.shift();
      });
    }
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return !this.exit;
  }

  async waitReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = 'no answer yet';
    while (Date.now() < deadline) {
      if (!this.running) {
        throw new Error(
          `${this.name} exited (${JSON.stringify(this.exit)}) before it was ready; last lines:\n  ${this.tail.slice(-30).join('\n  ')}`,
        );
      }
      try {
        const res = await fetch(`${this.url}/health/ready`, { signal: AbortSignal.timeout(2000) });
        if (res.status === 200) return;
        last = `HTTP ${res.status} ${(await res.text()).slice(0, 300)}`;
      } catch (e) {
        last = ((e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message) || 'error';
      }
      await sleep(200);
    }
    throw new Error(`${this.name} not ready in ${timeoutMs} ms (last: ${last}); last lines:\n  ${this.tail.slice(-30).join('\n  ')}`);
  }

  /** SIGTERM to the group, SIGKILL after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (!this.running || !this.child.pid) return;
    signalGroup(this.child.pid, 'SIGTERM');
    const t = await Promise.race([this.exited.then(() => 'ok'), sleep(graceMs).then(() => 'timeout')]);
    if (t === 'ok') return;
    signalGroup(this.child.pid, 'SIGKILL');
    await Promise.race([this.exited, sleep(3000)]);
  }

  killNow(): void {
    if (this.running && this.child.pid) signalGroup(this.child.pid, 'SIGKILL');
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // gone
    }
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export { freePort } from '@app/platform/testing';

function* sources(dir: string): Generator<string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules' && e.name !== 'web' && e.name !== 'testing' && e.name !== 'eval') yield* sources(p);
    } else if (/\.ts$/.test(e.name) && !/\.(spec|int-spec|e2e-spec|d)\.ts$/.test(e.name)) yield p;
  }
}

/**
 * The harness runs what `npm run build` made: refuse, naming the file, when dist is missing or
 * older than a source file, rather than test yesterday's code.
 */
export function assertBuildFresh(apps: readonly AppName[] = APP_NAMES): void {
  for (const app of apps) {
    if (!existsSync(join(ROOT, 'dist', 'apps', app, 'src', 'main.js'))) {
      throw new Error(`dist/apps/${app}/src/main.js is missing: run \`npm run build\` before the console tests`);
    }
  }
  for (const top of ['apps', 'libs', 'scripts']) {
    for (const src of sources(join(ROOT, top))) {
      const rel = relative(ROOT, src);
      const built = join(ROOT, 'dist', rel.replace(/\.ts$/, '.js'));
      if (!existsSync(built) || statSync(built).mtimeMs + 1000 < statSync(src).mtimeMs) {
        throw new Error(`dist is stale: ${rel} changed after the last build; run \`npm run build\` before the console tests`);
      }
    }
  }
}
