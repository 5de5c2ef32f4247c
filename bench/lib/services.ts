/**
 * The five services as child processes of the bench, each its own Node process (its own event loop),
 * exactly as `node -r ./scripts/register-paths.js dist/apps/<svc>/src/main.js` runs them.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export const SERVICE_NAMES = ['intake', 'dispatch', 'sla', 'callback', 'analytics'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

const TAIL = 200;

export interface LogCount {
  level: string;
  msg: string;
  count: number;
  /** One full example line (the first). */
  example: string;
}

/**
 * The NODE_OPTIONS a service runs with in Kubernetes (`deploy/k8s/base/apps/<name>/<name>.yaml`,
 * e.g. `--max-old-space-size=384 --max-semi-space-size=8`): the old generation's cap and the young
 * generation's size, which RSS under load depends on.
 */
export function deployedNodeOptions(root: string, name: ServiceName): string {
  const manifest = readFileSync(join(root, 'deploy', 'k8s', 'base', 'apps', name, `${name}.yaml`), 'utf8');
  const m = /- name: NODE_OPTIONS\s*\n\s*value: *['"]?([^'"\n]+)/.exec(manifest);
  if (!m) throw new Error(`deploy/k8s/base/apps/${name}/${name}.yaml sets no NODE_OPTIONS`);
  return m[1].trim();
}

export class ServiceProcess {
  readonly tail: string[] = [];
  /** level + msg → count, from pino JSON lines (LOG_LEVEL=warn: warnings and errors only). */
  readonly logCounts = new Map<string, LogCount>();
  exit?: { code: number | null; signal: NodeJS.Signals | null };
  readonly exited: Promise<void>;
  private readonly child: ChildProcess;

  constructor(
    readonly name: ServiceName,
    readonly port: number,
    root: string,
    env: NodeJS.ProcessEnv,
    /** Node's own flags before the script (those NODE_OPTIONS refuses, e.g. --cpu-prof). */
    nodeArgs: string[] = [],
    /** The Node binary (default: the bench's own). */
    node: string = process.execPath,
  ) {
    const main = join('dist', 'apps', name, 'src', 'main.js');
    if (!existsSync(join(root, main))) throw new Error(`${main} is missing: run npm run build`);
    this.child = spawn(node, [...nodeArgs, '-r', './scripts/register-paths.js', main], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      // own process group: a Ctrl-C on the bench reaches only the bench, which stops the services in order
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
      createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => this.onLine(line));
    }
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return !this.exit;
  }

  private onLine(line: string): void {
    this.tail.push(line);
    if (this.tail.length > TAIL) this.tail.shift();
    let level = 'text';
    let msg = line.slice(0, 200);
    if (line.startsWith('{')) {
      try {
        const rec = JSON.parse(line) as { level?: number; msg?: unknown; err?: unknown; context?: unknown };
        level =
          ({ 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' } as Record<number, string>)[rec.level ?? 0] ??
          String(rec.level);
        msg = typeof rec.msg === 'string' ? rec.msg : JSON.stringify(rec.msg ?? '').slice(0, 200);
      } catch {
        // not JSON after all
      }
    }
    const key = `${level}\u0000${msg}`;
    const c = this.logCounts.get(key);
    if (c) c.count++;
    else this.logCounts.set(key, { level, msg, count: 1, example: line.slice(0, 2000) });
  }

  /** SIGTERM to the process group; SIGKILL after `graceMs`. */
  async stop(graceMs = 15_000): Promise<'stopped' | 'killed' | 'already'> {
    if (!this.running || !this.child.pid) return 'already';
    signalGroup(this.child.pid, 'SIGTERM');
    const t = await Promise.race([this.exited.then(() => 'ok' as const), sleep(graceMs).then(() => 'timeout' as const)]);
    if (t === 'ok') return 'stopped';
    signalGroup(this.child.pid, 'SIGKILL');
    await Promise.race([this.exited, sleep(3000)]);
    return 'killed';
  }

  /** Last resort on exit: no orphans. */
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

export const sleep = (msec: number) => new Promise<void>((resolve) => setTimeout(resolve, msec));

export { freePort } from '@app/platform/testing';

/** Poll /health/ready until 200, the process dies, or the time is up. */
export async function waitReady(svc: ServiceProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (!svc.running)
      throw new Error(
        `${svc.name} exited (${JSON.stringify(svc.exit)}) before it was ready; last lines:\n  ${svc.tail.slice(-30).join('\n  ')}`,
      );
    try {
      const res = await fetch(`http://127.0.0.1:${svc.port}/health/ready`, { signal: AbortSignal.timeout(2000) });
      const body = await res.text();
      if (res.status === 200) return;
      last = `HTTP ${res.status} ${body.slice(0, 300)}`;
    } catch (e) {
      const err = e as Error & { cause?: { code?: string } };
      last = err.cause?.code ?? err.message;
    }
    await sleep(300);
  }
  throw new Error(
    `${svc.name} was not ready within ${timeoutMs / 1000} s (last /health/ready: ${last}); last lines:\n  ${svc.tail.slice(-30).join('\n  ')}`,
  );
}
