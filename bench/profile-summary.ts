/**
 * What a V8 CPU profile (`npm run bench -- --cpu-prof dispatch`, or node --cpu-prof) spent its time on:
 * self time by package or project folder, by function, and the inclusive time of the project's own
 * functions (what they and everything they call cost).
 *
 *   npx ts-node --transpile-only bench/profile-summary.ts bench/results/prof-<run>/dispatch.cpuprofile [top]
 */
import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** node_modules/<package>, the project's apps/<x>/ or libs/<x>/, node's own, or V8's (program, GC, idle). */
export function placeOf(url: string): string {
  if (!url) return '(v8)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  const own = /\/((?:apps|libs)\/[^/]+)\//.exec(url);
  if (own) return own[1];
  if (url.startsWith('node:')) return 'node';
  return url.replace(/^.*\//, '');
}

function main(): void {
  const [file, topArg] = process.argv.slice(2);
  if (!file) throw new Error('usage: profile-summary.ts <file.cpuprofile> [top]');
  const top = Number(topArg ?? 25);
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  const selfMs = new Map<number, number>();
  p.samples.forEach((id, i) => selfMs.set(id, (selfMs.get(id) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000));
  const label = (f: CallFrame) => `${f.functionName || '(anonymous)'} ${placeOf(f.url)}:${f.lineNumber + 1}`;
  const idle = new Set(['(idle)', '(program)', '(garbage collector)']);

  let total = 0;
  let busy = 0;
  const byPlace = new Map<string, number>();
  const byFn = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (const [id, ms] of selfMs) {
    const n = byId.get(id)!;
    total += ms;
    if (n.callFrame.functionName !== '(idle)') busy += ms;
    const place = idle.has(n.callFrame.functionName) ? n.callFrame.functionName : placeOf(n.callFrame.url);
    byPlace.set(place, (byPlace.get(place) ?? 0) + ms);
    byFn.set(label(n.callFrame), (byFn.get(label(n.callFrame)) ?? 0) + ms);
    // Each of the project's own functions on the stack, once per sample stack.
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur)!.callFrame;
      if (!/\/(apps|libs)\//.test(f.url) || /node_modules/.test(f.url)) continue;
      const k = label(f);
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + ms);
    }
  }
  const show = (title: string, m: Map<string, number>) => {
    console.log(title);
    for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      const share = k.startsWith('(idle)') ? '     ' : `${((100 * v) / busy).toFixed(1).padStart(5)} %`;
      console.log(`  ${v.toFixed(0).padStart(7)} ms ${share}  ${k}`);
    }
  };
  console.log(`${file}: ${(total / 1000).toFixed(1)} s sampled, ${(busy / 1000).toFixed(1)} s not idle (percentages of that)`);
  // A sample lands where the thread was when it was taken: on a saturated machine, a native call that
  // wakes another process (a socket's writev to Postgres) collects the time the thread then waited for
  // a core. Read those as "descheduled after", not as CPU the call used.
  show('self time by place:', byPlace);
  show('self time by function:', byFn);
  show("the project's functions, inclusive (with what they call):", inclusive);
}

if (require.main === module) main();
