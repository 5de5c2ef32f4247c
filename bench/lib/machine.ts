/** Machine facts and CPU accounting from /proc (Linux), so a result says what it ran on and who used the CPU. */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { Client } from 'pg';

export interface MachineFacts {
  nproc: number;
  cpuModel: string;
  totalMemoryGiB: number;
  node: string;
  postgres: string;
  postgresSettings: Record<string, string>;
  natsServer: string;
  os: string;
  loadAverageAtStart: number[];
}

function tryRead(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** `node`: the binary the services run under (its version is the one reported). */
export async function machineFacts(pgAdminUrl: string, natsServerVersion: string, node = process.execPath): Promise<MachineFacts> {
  const c = new Client({ connectionString: pgAdminUrl });
  await c.connect();
  const settings: Record<string, string> = {};
  let version = '';
  try {
    version = ((await c.query<{ v: string }>('SELECT version() AS v')).rows[0]?.v ?? '').replace(/ on .*$/, '');
    const rows = await c.query<{ name: string; setting: string; unit: string | null }>(
      `SELECT name, setting, unit FROM pg_settings
        WHERE name IN ('max_connections','shared_buffers','synchronous_commit','fsync','wal_level','commit_delay','work_mem','max_wal_size','full_page_writes')`,
    );
    for (const r of rows.rows) settings[r.name] = r.unit ? `${r.setting} (${r.unit})` : r.setting;
  } finally {
    await c.end();
  }
  let nproc = availableParallelism();
  try {
    nproc = Number(execFileSync('nproc', { encoding: 'utf8' }).trim()) || nproc;
  } catch {
    // keep availableParallelism
  }
  const osRelease = /PRETTY_NAME="([^"]+)"/.exec(tryRead('/etc/os-release'))?.[1] ?? process.platform;
  return {
    nproc,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    totalMemoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: node === process.execPath ? process.version : execFileSync(node, ['--version'], { encoding: 'utf8' }).trim(),
    postgres: version,
    postgresSettings: settings,
    natsServer: natsServerVersion,
    os: `${osRelease}, kernel ${tryRead('/proc/sys/kernel/osrelease').trim()}`,
    loadAverageAtStart: loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

const TICK = 100; // USER_HZ on Linux

/** utime+stime (+ reaped children's for `withChildren`) of a pid, in seconds; 0 when gone. */
function procCpuSeconds(pid: number, withChildren = false): number {
  const s = tryRead(`/proc/${pid}/stat`);
  if (!s) return 0;
  const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
  // fields after "pid (comm) ": state=0 ... utime=11 stime=12 cutime=13 cstime=14
  const t = Number(f[11]) + Number(f[12]) + (withChildren ? Number(f[13]) + Number(f[14]) : 0);
  return t / TICK;
}

function pidsByComm(names: string[]): { pid: number; comm: string; ppid: number }[] {
  const out: { pid: number; comm: string; ppid: number }[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const s = tryRead(`/proc/${d}/stat`);
    if (!s) continue;
    const comm = s.slice(s.indexOf('(') + 1, s.lastIndexOf(')'));
    if (!names.some((n) => comm.startsWith(n))) continue;
    const ppid = Number(s.slice(s.lastIndexOf(')') + 2).split(' ')[1]);
    out.push({ pid: Number(d), comm, ppid });
  }
  return out;
}

/** Whole machine: busy and total jiffies from /proc/stat. */
function machineJiffies(): { busy: number; total: number; steal: number } {
  const line = tryRead('/proc/stat').split('\n')[0] ?? '';
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = (v[3] ?? 0) + (v[4] ?? 0);
  // steal: time the hypervisor gave this VM's CPUs to someone else
  return { busy: total - idle, total, steal: v[7] ?? 0 };
}

export interface CpuSnapshot {
  at: number;
  perService: Record<string, number>;
  postgres: number;
  nats: number;
  bench: number;
  machine: { busy: number; total: number; steal: number };
}

/**
 * CPU seconds by consumer. Postgres: every `postgres` process plus what the postmaster has reaped from
 * exited backends — that includes other databases' work on this server (other test runs), so the
 * machine total is given as well.
 */
export function cpuSnapshot(services: Record<string, number | undefined>): CpuSnapshot {
  const perService: Record<string, number> = {};
  for (const [name, pid] of Object.entries(services)) perService[name] = pid ? procCpuSeconds(pid) : 0;
  const pg = pidsByComm(['postgres']);
  const pgPids = new Set(pg.map((p) => p.pid));
  const postmasters = pg.filter((p) => !pgPids.has(p.ppid));
  const postgres =
    pg.reduce((a, p) => a + procCpuSeconds(p.pid), 0) +
    postmasters.reduce((a, p) => a + procCpuSeconds(p.pid, true) - procCpuSeconds(p.pid), 0);
  const nats = pidsByComm(['nats-server']).reduce((a, p) => a + procCpuSeconds(p.pid), 0);
  const u = process.cpuUsage();
  return { at: performance.now(), perService, postgres, nats, bench: (u.user + u.system) / 1e6, machine: machineJiffies() };
}

export interface CpuUsage {
  wallSeconds: number;
  /** Cores used on average over the window, by consumer. */
  cores: Record<string, number>;
  /** Share of the machine's CPU that was busy (all processes, including ones not ours). */
  machineBusyPct: number;
  /** Busy cores not accounted for by the rows above (other processes on the machine). */
  otherCores: number;
  /** Share of CPU time the hypervisor took away (another tenant of the host). */
  stealPct: number;
}

export function cpuBetween(a: CpuSnapshot, b: CpuSnapshot, nproc: number): CpuUsage {
  const wall = (b.at - a.at) / 1000;
  const cores: Record<string, number> = {};
  for (const k of Object.keys(b.perService)) cores[k] = (b.perService[k] - (a.perService[k] ?? 0)) / wall;
  cores.postgres = (b.postgres - a.postgres) / wall;
  cores.nats = (b.nats - a.nats) / wall;
  cores.bench = (b.bench - a.bench) / wall;
  const dTotal = b.machine.total - a.machine.total;
  const busyPct = dTotal > 0 ? ((b.machine.busy - a.machine.busy) / dTotal) * 100 : NaN;
  const stealPct = dTotal > 0 ? ((b.machine.steal - a.machine.steal) / dTotal) * 100 : NaN;
  const busyCores = ((busyPct - stealPct) / 100) * nproc;
  const ours = Object.values(cores).reduce((x, y) => x + y, 0);
  const r2 = (x: number) => Math.round(x * 100) / 100;
  for (const k of Object.keys(cores)) cores[k] = r2(cores[k]);
  return {
    stealPct: Math.round(stealPct * 10) / 10,
    wallSeconds: r2(wall),
    cores,
    machineBusyPct: Math.round(busyPct * 10) / 10,
    otherCores: r2(Math.max(0, busyCores - ours)),
  };
}

/** Resident memory of one process from /proc/<pid>/status: now (VmRSS) and its peak (VmHWM), in MB. */
export function memoryOf(pid: number | undefined): { rssMB: number; peakMB: number } {
  if (!pid) return { rssMB: NaN, peakMB: NaN };
  const status = tryRead(`/proc/${pid}/status`);
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMB: Math.round(kb('VmRSS') / 102.4) / 10, peakMB: Math.round(kb('VmHWM') / 102.4) / 10 };
}
