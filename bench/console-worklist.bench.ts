/**
 * The handling unit's worklist with 500 orders: how long from opening the page until the table shows its
 * rows, and until the end of the list has rendered (usable: a click on page 10 of a paged table, or a
 * scroll to the last row of the virtual one, whichever the build has). The built web
 * (dist/console-web, `npm run build:web`) in Debian's Chromium, served over HTTP on loopback by the console's
 * own static handler; the console's answers are stubbed in that server (a handler's session, 500 orders
 * from GET /api/dispatch/orders), so only the web is measured.
 *
 *   npx ts-node -r tsconfig-paths/register --transpile-only bench/console-worklist.bench.ts [runs] [--profile] [--waterfall] [--dist <dir>] [--answer-ms <ms>] [--intercept]
 *
 * `--answer-ms <ms>`: the session and every /api answer come that long after they are asked for (the
 * console's and the service's time and the round trip; 0, instant, by default), so what waits on them shows.
 *
 * Prints the median, 90th percentile and worst of `runs` (default 5) cold loads. A figure, not an assertion. On a shared
 * machine, compare two builds by alternating runs of each (`--dist`) rather than at different times.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { extname, join, resolve } from 'node:path';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { chromium } from 'playwright-core';
import { spaHandlers } from '../apps/console/src/web-static/spa';

/** `--dist <dir>`: another build to measure (e.g. main's, built into a temp dir, for a before/after under the same load). */
const distArg = process.argv.indexOf('--dist');
const DIST = distArg > 0 ? resolve(process.argv[distArg + 1]) : resolve(__dirname, '../dist/console-web');
const answerArg = process.argv.indexOf('--answer-ms');
const ANSWER_MS = answerArg > 0 ? Number(process.argv[answerArg + 1]) : 0;
const ORIGIN = 'http://console.bench.invalid';
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function orders(n: number): object[] {
  const now = Date.now();
  return Array.from({ length: n }, (_, i) => ({
    ticketId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    orderNo: `20261205-${String(i + 1).padStart(6, '0')}`,
    districtCode: '630104',
    streetCode: '630104004',
    categoryCode: 'lift',
    requestType: 'complaint',
    urgency: i % 7 === 0 ? 'urgent' : 'ordinary',
    flags: i % 11 === 0 ? ['repeat'] : [],
    content: `第${i + 1}号诉求：小区电梯经常停运，老人上下楼困难，请尽快处理`,
    address: `西宁市城西区胜利路${i + 1}号`,
    identityHidden: false,
    proactive: false,
    transferredTo: null,
    state: ['dispatched', 'signed', 'contacted'][i % 3],
    unitId: '11111111-1111-4111-8111-111111111111',
    assignmentId: null,
    ruleId: null,
    cycle: 1,
    assignedAt: new Date(now - 3 * 86_400_000).toISOString(),
    returnable: true,
    suggestedUnitId: null,
    suggestedRuleId: null,
    assignees: [],
    subUnitId: null,
    attachments: [],
    repliedBy: null,
    reworkCount: 0,
    outcome: null,
    replyText: null,
    respondDueAt: new Date(now + (i - 100) * 3_600_000).toISOString(),
    finishDueAt: new Date(now + (i - 50) * 3 * 3_600_000).toISOString(),
    respondWarnAt: new Date(now + (i - 104) * 3_600_000).toISOString(),
    finishWarnAt: new Date(now + ((i - 50) * 3 - 24) * 3_600_000).toISOString(),
    acceptedAt: new Date(now - 3 * 86_400_000).toISOString(),
    updatedAt: new Date(now).toISOString(),
  }));
}

/**
 * CPU time (user + system, ms) used so far by every process under this one (Chromium's browser, renderer,
 * GPU and utility processes), from /proc. Unlike wall time it hardly moves when other work shares the
 * cores, so it compares two builds on a busy machine. Linux only (0 elsewhere).
 */
function chromiumCpuMs(): number {
  if (!existsSync('/proc/self/stat')) return 0;
  const tick = 1000 / 100; // USER_HZ is 100 on Linux
  const procs = new Map<number, { ppid: number; cpu: number }>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      // Fields after the command's closing parenthesis: state ppid … utime(14) stime(15), 1-based from pid.
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      procs.set(Number(d), { ppid: Number(f[1]), cpu: (Number(f[11]) + Number(f[12])) * tick });
    } catch {
      // the process ended while we looked
    }
  }
  const mine = new Set([process.pid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, p] of procs) {
      if (!mine.has(pid) && mine.has(p.ppid)) {
        mine.add(pid);
        grew = true;
      }
    }
  }
  let total = 0;
  for (const pid of mine) if (pid !== process.pid) total += procs.get(pid)?.cpu ?? 0;
  return total;
}

/** `--intercept`: answer through Playwright's route interception rather than an HTTP server (the older figures). */
const INTERCEPT = process.argv.includes('--intercept');

interface BenchServer {
  origin: string;
  onRequest?: (path: string) => void;
  onOrdersSent?: () => void;
  close(): Promise<void>;
}

const ORDERS = '/api/dispatch/orders';

/** What the bench answers in the console's place: the session, the 500 orders, an empty list for any other /api call. */
function stubFor(path: string, session: string, orders: string): string | undefined {
  if (path === '/auth/session') return session;
  if (path === ORDERS) return orders;
  return path.startsWith('/api/') ? '[]' : undefined;
}

/** `--answer-ms`: the console's and the service's time and the round trip. */
const answerLater = (): Promise<void> => (ANSWER_MS > 0 ? new Promise((resolve) => setTimeout(resolve, ANSWER_MS)) : Promise.resolve());

/**
 * The built web through the console's own static handler (`spaHandlers`: express.static, index.html for
 * the SPA's routes) on 127.0.0.1, and the session and the services' answers stubbed in front of it.
 */
async function serveBuilt(session: string, ordersBody: string): Promise<BenchServer> {
  const app = express();
  const server: BenchServer = { origin: '', close: async () => undefined };
  app.use((req, res, next) => {
    server.onRequest?.(req.path);
    const stub = stubFor(req.path, session, ordersBody);
    if (stub !== undefined) {
      if (req.path === ORDERS) res.on('finish', () => server.onOrdersSent?.());
      void answerLater().then(() => res.type('json').send(stub));
      return;
    }
    if (req.path === '/events') return res.status(503).end();
    next();
  });
  for (const h of spaHandlers(DIST)) app.use(h);
  const listening: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  server.origin = `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
  server.close = () => new Promise((resolve) => listening.close(() => resolve()));
  return server;
}

/** `--profile`: a CPU profile of the first load, the functions that took the most time by themselves. */
const PROFILE = process.argv.includes('--profile');
/** `--waterfall`: when each request of the first load was asked for and answered, from navigation. */
const WATERFALL = process.argv.includes('--waterfall');

interface CpuNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

function printProfile(profile: { nodes: CpuNode[]; samples?: number[]; timeDeltas?: number[] }): void {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  const byFile = new Map<string, number>();
  (profile.samples ?? []).forEach((id, i) => {
    const n = byId.get(id)!;
    const dt = (profile.timeDeltas?.[i] ?? 0) / 1000;
    const file = n.callFrame.url.replace(/^.*\//, '') || '(native)';
    const key = `${n.callFrame.functionName || '(anonymous)'} ${file}:${n.callFrame.lineNumber}`;
    self.set(key, (self.get(key) ?? 0) + dt);
    byFile.set(file, (byFile.get(file) ?? 0) + dt);
  });
  const top = (m: Map<string, number>, n: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n);
  console.log('  CPU profile of the first load, self time by file:');
  for (const [k, v] of top(byFile, 8)) console.log(`    ${v.toFixed(0).padStart(6)} ms  ${k}`);
  console.log('  … and by function:');
  for (const [k, v] of top(self, 15)) console.log(`    ${v.toFixed(0).padStart(6)} ms  ${k}`);
}

async function main(): Promise<void> {
  if (!existsSync(join(DIST, 'index.html'))) throw new Error('dist/console-web is missing: run `npm run build:web` first');
  const runs = Number(process.argv.slice(2).find((a, i, all) => /^\d+$/.test(a) && !['--dist', '--answer-ms'].includes(all[i - 1])) ?? 5);
  const body = JSON.stringify(orders(500));
  const session = JSON.stringify({
    csrfToken: 'bench',
    user: {
      id: 'h-bench',
      loginName: 'handler-bench',
      displayName: '承办人',
      roles: ['handler'],
      districts: ['630104'],
      unitId: '11111111-1111-4111-8111-111111111111',
      unitName: '胜利路街道',
      mobileMasked: null,
      totpEnabled: false,
      mustChangePassword: false,
    },
  });
  // By default the built files come from the console's own static handler over a real HTTP server on
  // loopback, as a browser gets them from apps/console; `--intercept` answers every request through
  // Playwright's route interception instead (the figures before 2026-12-05 18:40: each request then
  // crosses the DevTools protocol to this process and back, one at a time, which a served console does not).
  const server = INTERCEPT ? undefined : await serveBuilt(session, body);
  const origin = server ? server.origin : ORIGIN;
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: FLAGS, headless: true });
  const shown: number[] = [];
  const usable: number[] = [];
  const afterData: number[] = [];
  const endAfterData: number[] = [];
  const profile: { script: number; layout: number; style: number; task: number }[] = [];
  const cpu: number[] = [];
  try {
    for (let r = 0; r < runs; r++) {
      let tData: number | undefined;
      let t0 = Date.now();
      const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
      const waterfall: string[] = [];
      if (INTERCEPT) {
        await context.route('**/*', async (route) => {
          const url = new URL(route.request().url());
          const p = url.pathname;
          if (WATERFALL && r === 0) waterfall.push(`${String(Date.now() - t0).padStart(6)} ms  ${p}`);
          const stub = stubFor(p, session, body);
          if (stub !== undefined) {
            await answerLater();
            await route.fulfill({ contentType: 'application/json', body: stub });
            if (p === ORDERS) tData ??= Date.now();
            return;
          }
          if (p === '/events') return route.abort();
          const file = p.startsWith('/assets/') ? join(DIST, p) : join(DIST, 'index.html');
          if (!existsSync(file)) return route.fulfill({ status: 404, body: '' });
          return route.fulfill({ body: readFileSync(file), contentType: TYPES[extname(file)] ?? 'application/octet-stream' });
        });
      } else if (server) {
        server.onRequest = (p) => {
          if (WATERFALL && r === 0) waterfall.push(`${String(Date.now() - t0).padStart(6)} ms  ${p}`);
        };
        server.onOrdersSent = () => (tData ??= Date.now());
      }
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Performance.enable');
      if (PROFILE && r === 0) {
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
        await cdp.send('Profiler.start');
      }
      const cpu0 = chromiumCpuMs();
      t0 = Date.now();
      await page.goto(`${origin}/handling/worklist`);
      const tNav = Date.now();
      await page.getByTestId('worklist').waitFor({ timeout: 30_000 });
      if (r === 0) console.log(`  (first run: document loaded ${tNav - t0} ms, table frame ${Date.now() - t0} ms)`);
      await page.getByTestId('worklist').locator('.ant-table-row', { hasText: '20261205-000001' }).waitFor({ timeout: 30_000 });
      const t1 = Date.now();
      const pager = page.locator('.ant-pagination-item-10');
      if (await pager.count()) {
        await pager.click();
        await page.getByTestId('worklist').locator('.ant-table-row', { hasText: '20261205-000451' }).waitFor({ timeout: 30_000 });
      } else {
        // To the bottom, as a person drags the scrollbar there, and again while the rows measured on the way
        // (taller than the virtual list's estimate) push the end further down, until the last row is in view.
        await page
          .waitForFunction(
            `(() => {
              const holder = document.querySelector('.ant-table-tbody-virtual-holder');
              if (!holder) return false;
              holder.scrollTo({ top: 1e7 });
              return [...document.querySelectorAll('[data-testid="worklist"] .ant-table-row')].some((r) => r.textContent.includes('20261205-000500'));
            })()`,
            undefined,
            { polling: 'raf', timeout: 30_000 },
          )
          .catch(async (e: Error) => {
            await page.screenshot({ path: 'bench-worklist-failed.png' });
            throw new Error(`${e.message}\nthe page: bench-worklist-failed.png`);
          });
      }
      const t2 = Date.now();
      cpu.push(chromiumCpuMs() - cpu0);
      if (PROFILE && r === 0) printProfile((await cdp.send('Profiler.stop')).profile);
      if (WATERFALL && r === 0) {
        console.log('  requests of the first load, from navigation:');
        for (const line of waterfall) console.log(`    ${line}`);
        console.log(`    ${String(t1 - t0).padStart(6)} ms  (rows shown)\n    ${String(t2 - t0).padStart(6)} ms  (end of list shown)`);
      }
      const { metrics } = await cdp.send('Performance.getMetrics');
      const m = Object.fromEntries(metrics.map((x) => [x.name, x.value]));
      const ms = (k: string) => Math.round((m[k] ?? 0) * 1000);
      // Where the browser's main thread spent the time until the end of the list was shown.
      profile.push({
        script: ms('ScriptDuration'),
        layout: ms('LayoutDuration'),
        style: ms('RecalcStyleDuration'),
        task: ms('TaskDuration'),
      });
      shown.push(t1 - t0);
      afterData.push(t1 - (tData ?? t0));
      endAfterData.push(t2 - (tData ?? t0));
      usable.push(t2 - t0);
      await context.close();
    }
  } finally {
    await browser.close();
    await server?.close();
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  // Nearest rank: with 10 runs the 9th fastest; with fewer than 10, the worst.
  const p90 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.ceil(xs.length * 0.9) - 1];
  console.log(
    `worklist of 500 orders, ${DIST}, ${runs} cold loads at 1366×768, ${INTERCEPT ? 'intercepted' : 'served over HTTP'}, answers after ${ANSWER_MS} ms (load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores):`,
  );
  console.log(`  rows shown        median ${median(shown)} ms, p90 ${p90(shown)} ms, worst ${Math.max(...shown)} ms`);
  console.log(`  end of list shown median ${median(usable)} ms, p90 ${p90(usable)} ms, worst ${Math.max(...usable)} ms (from navigation)`);
  console.log(
    `  from the orders' answer: rows shown median ${median(afterData)} ms, worst ${Math.max(...afterData)} ms; end of list median ${median(endAfterData)} ms, worst ${Math.max(...endAfterData)} ms`,
  );
  const mid = (k: keyof (typeof profile)[number]) => median(profile.map((p) => p[k]));
  console.log(
    `  main thread (median): script ${mid('script')} ms, style ${mid('style')} ms, layout ${mid('layout')} ms, all tasks ${mid('task')} ms`,
  );
  console.log(
    `  Chromium's CPU time, navigation to end of list: median ${median(cpu)} ms, p90 ${p90(cpu)} ms, worst ${Math.max(...cpu)} ms (steadier than wall time under load)`,
  );
}

main().catch((e: Error) => {
  console.error(e.message);
  process.exit(1);
});
