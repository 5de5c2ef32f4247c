/**
 * The console's two speed figures (reported, not asserted):
 *   1. the first screen's JavaScript, gzipped, against its budget (dist/console-web, `npm run build` first);
 *   2. the operator's suggestion per keystroke: the six built apps (test/harness), the operator logged
 *      in, and POST /api/intake/tickets/assist for every prefix of a call as it is typed — through the
 *      console's proxy, as the browser does — p50 / p95 / max in milliseconds.
 *
 *   npm run build && npx ts-node -r tsconfig-paths/register --transpile-only bench/console.bench.ts
 */
import { performance } from 'node:perf_hooks';
import { ConsoleClient, createHarnessTemplate, DEMO_PASSWORD, demoLoginName, startHarness } from '../test/harness';
import { dropDatabase } from '../libs/platform/src/testing/test-database';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { firstScreens, BUDGETS_KB } = require('../scripts/build-web.js') as {
  firstScreens(): { path: string; files: number; gzipKb: number }[];
  BUDGETS_KB: Record<string, number>;
};

const CALLS = [
  { content: '我家楼里的电梯忽上忽下，突然下坠又升起，很危险，物业也不管', address: '西宁市城西区胜利路12号3号楼' },
  { content: '楼道里一股很浓的煤气味，邻居家好像没人', address: '西宁市城东区八一路5号' },
  { content: '小区门口的路灯坏了半个月了，晚上出门很不安全', address: '西宁市城北区朝阳街道' },
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main(): Promise<void> {
  // What a screen opened by address loads before it can show (scripts/build-web.js): the operator's desk and the heaviest.
  const screens = firstScreens();
  const desk = screens.find((s) => s.path === '/intake/desk')!;
  const heaviest = screens.reduce((a, b) => (b.gzipKb > a.gzipKb ? b : a));
  const budget = (p: string) => BUDGETS_KB[p] ?? BUDGETS_KB['*'];
  for (const s of [desk, heaviest]) {
    console.log(`first screen JS of ${s.path}: ${s.gzipKb.toFixed(1)} KB gzipped in ${s.files} file(s); budget ${budget(s.path)} KB`);
  }

  const template = await createHarnessTemplate();
  const h = await startHarness({ template });
  try {
    const op = await ConsoleClient.login(h.consoleUrl, demoLoginName('operator'), DEMO_PASSWORD);
    const times: number[] = [];
    for (const call of CALLS) {
      // One request per keystroke (the screen debounces; this is the worst case: every character).
      for (let i = 1; i <= call.content.length; i++) {
        const t0 = performance.now();
        const r = await op.post('/api/intake/tickets/assist', {
          content: call.content.slice(0, i),
          address: call.address,
          phone: '13997009999',
        });
        times.push(performance.now() - t0);
        if (r.status !== 200) throw new Error(`assist answered ${r.status}: ${JSON.stringify(r.body)}`);
      }
    }
    const warm = times.slice(5).sort((a, b) => a - b);
    console.log(
      `suggestion per keystroke (${warm.length} requests after 5 warm-up): p50 ${percentile(warm, 50).toFixed(1)} ms, ` +
        `p95 ${percentile(warm, 95).toFixed(1)} ms, max ${warm[warm.length - 1].toFixed(1)} ms (target < 200 ms)`,
    );
  } finally {
    await h.stop();
    await dropDatabase(template).catch(() => undefined);
  }
}

main().catch((e: Error) => {
  console.error(e);
  process.exit(1);
});
